from host_tools.bench.bench import main

raise SystemExit(main())
