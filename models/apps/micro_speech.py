# Keyword spotting on the device: TFLM's micro_speech pipeline with micronn. The audio front end
# (audio_preprocessor_int8: window, FFT, mel filter bank, noise reduction, PCAN, log) runs on each
# 30 ms window of a 1 s, 16 kHz wav every 20 ms (49 windows, its noise estimate kept across
# them), then micro_speech_quantized classifies the 49x40 int8 features.
# Usage (unix firmware): micropython micro_speech.py preprocessor.micronn classifier.micronn a.wav [...]
# (on boards without argv, set ARGS = [...] before this code).
import sys

import micronn

LABELS = ("silence", "unknown", "yes", "no")
RATE, WINDOW, STRIDE, FRAMES = 16000, 480, 320, 49


def read_file(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except (NameError, OSError):  # no filesystem (QEMU boards): read the host's file
        return micronn.kernels.host_read(path)


def wav_pcm(path):
    """The int16 sample bytes of a 16 kHz mono 16-bit PCM wav."""
    data = read_file(path)
    if data[0:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise ValueError("%s: not a wav file" % path)
    pos = 12
    fmt = None
    while pos + 8 <= len(data):
        cid = data[pos:pos + 4]
        size = data[pos + 4] | data[pos + 5] << 8 | data[pos + 6] << 16 | data[pos + 7] << 24
        if cid == b"fmt ":
            fmt = data[pos + 8:pos + 24]
        elif cid == b"data":
            if fmt is None or fmt[0] != 1 or fmt[2] != 1 or (fmt[4] | fmt[5] << 8) != RATE or fmt[14] != 16:
                raise ValueError("%s: expected 16 kHz mono 16-bit PCM" % path)
            return memoryview(data)[pos + 8:pos + 8 + size]
        pos += 8 + size + (size & 1)
    raise ValueError("%s: no data chunk" % path)


def main(args):
    pre = micronn.load(args[0])
    cls = micronn.load(args[1])
    out = cls.outputs[0]
    print("front end: %s, arena %d bytes; classifier: %s, arena %d bytes" % (
        args[0], pre.arena_size, args[1], cls.arena_size))
    win = pre.input_view(0)           # the preprocessor's input, written in place
    feat = bytearray(pre.outputs[0].nbytes)
    feats = cls.input_view(0)         # the classifier's 49x40 input, filled row by row
    y = bytearray(out.nbytes)
    for path in args[2:]:
        pcm = wav_pcm(path)
        if len(pcm) < 2 * ((FRAMES - 1) * STRIDE + WINDOW):
            raise ValueError("%s: shorter than 1 s" % path)
        pre.reset()                   # fresh noise estimate per clip
        t0 = micronn.ticks()
        for w in range(FRAMES):
            win[:] = pcm[2 * w * STRIDE:2 * (w * STRIDE + WINDOW)]
            pre.run(None, feat)
            feats[w * 40:(w + 1) * 40] = feat
        t1 = micronn.ticks()
        cls.run(None, y)
        t2 = micronn.ticks()
        scores = [(b - 256 if b > 127 else b) for b in y]
        best = max(range(len(scores)), key=lambda i: scores[i])
        prob = (scores[best] - out.zero_point) * out.scale
        print("%s: %s (score %d, p=%.2f); front end %d %s per window (x%d), classifier %d %s" % (
            path.split("/")[-1], LABELS[best], scores[best], prob, (t1 - t0) * micronn.TICK_SCALE // FRAMES,
            micronn.TICK_UNIT if micronn.TICK_SCALE == 1 else "instructions", FRAMES,
            (t2 - t1) * micronn.TICK_SCALE, micronn.TICK_UNIT if micronn.TICK_SCALE == 1 else "instructions"))


main(globals().get("ARGS") or sys.argv[1:])
