"""Patch-based execution of a model's first stage (issue 17): the stage's ops run one spatial
patch at a time. Each patch's input window (its halo included) is copied out of the stage
input and taken through every op of the stage in two small buffers; the result goes into its
rectangle of the stage output; then the rest of the graph runs as planned. Every output element
comes from the same inputs by the same kernel, so results are bit-exact with the unpatched run.

A plan (host_tools/convert/patch.py writes it) is a tuple
  (n_ops, in_shape, out_shape, buf_bytes, out_pos, chans, patches):
  n_ops: the stage is the model's first n_ops steps; in_shape/out_shape: (h, w, c) of the stage
  input and output (int8, batch 1); buf_bytes: the size of each of the two patch buffers;
  out_pos[k]: the position of op k's output among its kernel's arguments (its params follow);
  chans[k]: op k's input channels (chans[n_ops]: the stage output's);
  patches: [(out_rect, windows, params)]: out_rect (r0, r1, c0, c1) in the stage output,
  windows[k] = (r0, r1, c0, c1) of op k's input the patch reads (op k's output is window k+1,
  the last op's is out_rect), params[k] op k's int32 params for the patch (the window's sizes,
  padding only at the true borders)."""

from . import kernels


def _bytes(mv):
    mv = memoryview(mv)
    cast = getattr(mv, "cast", None)  # CPython: one format for slice assignment
    return cast("B") if cast is not None and mv.format != "B" else mv


def _copy_rect_py(dst, d0, ds, src, s0, ss, n, rows):
    for r in range(rows):
        dst[d0 + r * ds:d0 + r * ds + n] = src[s0 + r * ss:s0 + r * ss + n]


# copy_rect(dst, dst_off, dst_stride, src, src_off, src_stride, row_bytes, rows): the
# firmware's C loop (a Python row loop costs ~23,000 M4 instructions a row), else Python.
_copy_rows = getattr(kernels, "copy_rect", _copy_rect_py)


def _copy_rect(dst, dst_w, y, x, src, src_w, rect, c):
    """Rows r0..r1, columns c0..c1 of an (h, src_w, c) int8 buffer into an (h', dst_w, c) one
    at row y, column x."""
    r0, r1, c0, c1 = rect
    _copy_rows(dst, (y * dst_w + x) * c, dst_w * c, src, (r0 * src_w + c0) * c, src_w * c,
               (c1 - c0) * c, r1 - r0)


def run_stage(steps, plan):
    """Run the stage (steps[:n_ops], the model's kernel calls) patch by patch: steps[0]'s input
    holds the stage input, steps[n_ops - 1]'s output gets the stage output."""
    n_ops, in_shape, out_shape, buf_bytes, out_pos, chans, patches = plan
    src = _bytes(steps[0][1][0])
    dst = _bytes(steps[n_ops - 1][1][out_pos[n_ops - 1]])
    bufs = (memoryview(bytearray(buf_bytes)), memoryview(bytearray(buf_bytes)))
    for out_rect, windows, params in patches:
        r0, r1, c0, c1 = windows[0]
        _copy_rect(bufs[0], c1 - c0, 0, 0, src, in_shape[1], windows[0], in_shape[2])
        n_in = (r1 - r0) * (c1 - c0) * in_shape[2]
        cur = 0
        for k in range(n_ops):
            fn, args = steps[k]
            pos = out_pos[k]
            a0, a1, b0, b1 = windows[k + 1] if k + 1 < n_ops else out_rect
            n_out = (a1 - a0) * (b1 - b0) * chans[k + 1]
            args = list(args)
            args[0] = bufs[cur][:n_in]
            args[pos] = bufs[1 - cur][:n_out]
            args[pos + 1] = params[k]
            fn(*args)
            cur = 1 - cur
            n_in = n_out
        ow = out_rect[3] - out_rect[2]
        _copy_rect(dst, out_shape[1], out_rect[0], out_rect[2], bufs[cur], ow,
                   (0, out_rect[1] - out_rect[0], 0, ow), out_shape[2])


def run(model, plan, inp=None):
    """One inference with the stage patched: inputs in, the stage by patches, the remaining
    steps, outputs out (new arrays)."""
    model.set_inputs(inp)
    steps = model.steps
    run_stage(steps, plan)
    for fn, args in steps[plan[0]:]:
        fn(*args)
    return model._copy_out(None)
