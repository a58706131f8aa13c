"""The `micronn` command line."""

import argparse
import sys


def main(argv=None):
    parser = argparse.ArgumentParser(prog="micronn", description=__doc__)
    parser.add_subparsers(dest="cmd")
    args = parser.parse_args(argv)
    if args.cmd is None:
        parser.print_help()
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
