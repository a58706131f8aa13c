// Fully connected int8, the ARMv7E-M (DSP extension) variant mn_fully_connected_s8_dsp of
// mn_fully_connected_s8 (equal to mn_fully_connected_s8_ref byte for byte).
//
// The input (+ offset) is widened once into int16 pairs on the stack, per group of
// 4 features the words (x0, x2), (x1, x3): the lanes that SXTB16 and SXTB16 ROR 8 take from
// a weight word. Rows go two at a time, per 8 features one LDM of 4 input words, per row one
// LDM of 2 weight words (two LDR if the rows are not word aligned), 4 SXTB16, 4 SMLAD; with
// 16 features a loop step that is 40 instructions per 32 MACs.
// Rows are taken a block of MN_FC_BLOCK at a time: their accumulators wait on the stack (bias,
// then + each chunk of up to MN_FC_CHUNK features), then are requantized together.
// Stack: about 500 bytes in all (-fstack-usage, M4 and M33), of which the buffers take
// 4 * (MN_FC_CHUNK / 2 + MN_FC_BLOCK + 1).
#include "mn_fast.h"
#include "mn_variants.h"

#if MN_ARM_DSP
#define MN_FC_CHUNK 128
#define MN_FC_BLOCK 12

// xw[2j], xw[2j + 1] = (x[4j] + off, x[4j + 2] + off), (x[4j + 1] + off, x[4j + 3] + off)
// for j < n4 / 4 (n4: a multiple of 4; off2: off in both halfwords).
static void __attribute__((noinline)) mn_fc_widen(const int8_t *x, int32_t n4, int32_t off2,
    int32_t *xw) {
    register const int8_t *px __asm__ ("r0") = x;
    register int32_t k __asm__ ("r1") = n4;
    register int32_t *py __asm__ ("r3") = xw;
    register int32_t a __asm__ ("r4"), b __asm__ ("r5"), c __asm__ ("r6"), d __asm__ ("r7");
    __asm volatile (
        "subs %[k], %[k], #8\n"
        "blt 2f\n"
        "1:\n"
        "ldr %[b], [%[x]], #4\n"
        "ldr %[d], [%[x]], #4\n"
        "sxtab16 %[a], %[o], %[b]\n"
        "sxtab16 %[b], %[o], %[b], ror #8\n"
        "sxtab16 %[c], %[o], %[d]\n"
        "sxtab16 %[d], %[o], %[d], ror #8\n"
        "stm %[y]!, {%[a], %[b], %[c], %[d]}\n"
        "subs %[k], %[k], #8\n"
        "bge 1b\n"
        "2:\n"
        "tst %[k], #4\n"
        "beq 3f\n"
        "ldr %[b], [%[x]]\n"
        "sxtab16 %[a], %[o], %[b]\n"
        "sxtab16 %[b], %[o], %[b], ror #8\n"
        "stm %[y], {%[a], %[b]}\n"
        "3:\n"
        : [x] "+&r" (px), [k] "+&r" (k), [y] "+&r" (py), [a] "=&r" (a), [b] "=&r" (b),
          [c] "=&r" (c), [d] "=&r" (d)
        : [o] "r" (off2)
        : "cc", "memory");
}

// One pass of mn_fc_rows: rows w, w + n1, then the next two (+ 2 n), ... over one chunk. The
// first five fields are read by the assembly (offsets 0..16).
typedef struct {
    const int32_t *xw; // the widened chunk
    int32_t groups;    // its features / 4
    int32_t *acc;      // accumulators of the next pair of rows
    int32_t step;      // from the end of a pair's chunk to the next pair's: 2 n - chunk
    int32_t *end;      // acc + rows
    const int8_t *w;   // first row, at the chunk
    int32_t n1;        // second row - first row: n, or 0 for one row (computed twice)
} mn_fc_pass_t;

// One row, 8 features: the weight words are loaded by LOAD into w, v.
#define MN_FC_ROW8(LOAD, S) \
    LOAD \
    "sxtb16 %[t], %[w]\n" \
    "smlad " S ", %[t], %[a], " S "\n" \
    "sxtb16 %[w], %[w], ror #8\n" \
    "smlad " S ", %[w], %[b], " S "\n" \
    "sxtb16 %[t], %[v]\n" \
    "smlad " S ", %[t], %[c], " S "\n" \
    "sxtb16 %[v], %[v], ror #8\n" \
    "smlad " S ", %[v], %[d], " S "\n"
#define MN_FC_ROW4(P, S) \
    "ldr %[w], [" P "], #4\n" \
    "sxtb16 %[t], %[w]\n" \
    "smlad " S ", %[t], %[a], " S "\n" \
    "sxtb16 %[w], %[w], ror #8\n" \
    "smlad " S ", %[w], %[b], " S "\n"
// Per pair of rows (p0, p1): acc[0..1] += xw . rows over 4 groups features (a loop of 16
// features a step, then 8, then 4), then the next pair.
#define MN_FC_PASS(LOAD0, LOAD1) \
    "0:\n" \
    "ldm %[q], {%[x], %[g], %[t]}\n" \
    "ldrd %[s0], %[s1], [%[t]]\n" \
    "subs %[g], %[g], #4\n" \
    "blt 2f\n" \
    "1:\n" \
    "ldm %[x]!, {%[a], %[b], %[c], %[d]}\n" \
    MN_FC_ROW8(LOAD0, "%[s0]") MN_FC_ROW8(LOAD1, "%[s1]") \
    "ldm %[x]!, {%[a], %[b], %[c], %[d]}\n" \
    MN_FC_ROW8(LOAD0, "%[s0]") MN_FC_ROW8(LOAD1, "%[s1]") \
    "subs %[g], %[g], #4\n" \
    "bge 1b\n" \
    "2:\n" \
    "tst %[g], #2\n" \
    "beq 3f\n" \
    "ldm %[x]!, {%[a], %[b], %[c], %[d]}\n" \
    MN_FC_ROW8(LOAD0, "%[s0]") MN_FC_ROW8(LOAD1, "%[s1]") \
    "3:\n" \
    "tst %[g], #1\n" \
    "beq 4f\n" \
    "ldrd %[a], %[b], [%[x]]\n" \
    MN_FC_ROW4("%[p0]", "%[s0]") MN_FC_ROW4("%[p1]", "%[s1]") \
    "4:\n" \
    "ldr %[t], [%[q], #8]\n" \
    "strd %[s0], %[s1], [%[t]], #8\n" \
    "ldrd %[w], %[v], [%[q], #12]\n" \
    "str %[t], [%[q], #8]\n" \
    "add %[p0], %[p0], %[w]\n" \
    "add %[p1], %[p1], %[w]\n" \
    "cmp %[t], %[v]\n" \
    "blo 0b\n"

// Runs the pass *ps (aligned: its rows are word aligned). The registers are fixed for
// ascending LDM lists.
static void __attribute__((noinline)) mn_fc_rows(mn_fc_pass_t *ps, int32_t aligned) {
    register mn_fc_pass_t *q __asm__ ("lr") = ps;
    register const int32_t *x __asm__ ("r0");
    register const int8_t *p0 __asm__ ("r1") = ps->w;
    register const int8_t *p1 __asm__ ("r2") = ps->w + ps->n1;
    register int32_t g __asm__ ("r3");
    register int32_t a __asm__ ("r4"), b __asm__ ("r5"), c __asm__ ("r6"), d __asm__ ("r7");
    register int32_t w __asm__ ("r8"), v __asm__ ("r9"), t __asm__ ("r10");
    register int32_t s0 __asm__ ("r11"), s1 __asm__ ("r12");
    if (aligned) {
        __asm volatile (
            MN_FC_PASS("ldm %[p0]!, {%[w], %[v]}\n", "ldm %[p1]!, {%[w], %[v]}\n")
            : [x] "=&r" (x), [p0] "+&r" (p0), [p1] "+&r" (p1), [g] "=&r" (g),
              [s0] "=&r" (s0), [s1] "=&r" (s1), [a] "=&r" (a), [b] "=&r" (b), [c] "=&r" (c),
              [d] "=&r" (d), [w] "=&r" (w), [v] "=&r" (v), [t] "=&r" (t)
            : [q] "r" (q)
            : "cc", "memory");
    } else {
        __asm volatile (
            MN_FC_PASS("ldr %[w], [%[p0]], #4\nldr %[v], [%[p0]], #4\n",
                "ldr %[w], [%[p1]], #4\nldr %[v], [%[p1]], #4\n")
            : [x] "=&r" (x), [p0] "+&r" (p0), [p1] "+&r" (p1), [g] "=&r" (g),
              [s0] "=&r" (s0), [s1] "=&r" (s1), [a] "=&r" (a), [b] "=&r" (b), [c] "=&r" (c),
              [d] "=&r" (d), [w] "=&r" (w), [v] "=&r" (v), [t] "=&r" (t)
            : [q] "r" (q)
            : "cc", "memory");
    }
}
#undef MN_FC_PASS
#undef MN_FC_ROW4
#undef MN_FC_ROW8

// Requantization. For a right shift rs in [1, 20] the output offset is folded
// into the rounding constant (as mn_rq_fuse): out = (y + (y < 0 ? -1 : 0) + 2^(rs-1) +
// (out_off << rs)) >> rs, y = SMMULR(2 acc, mult), when 2 acc does not overflow. Exact then:
// for -2^30 <= acc < 2^30, SMMULR(2 acc, m) = (acc m + 2^30) >> 31 is the
// SaturatingRoundingDoublingHighMul of mn_fast.h (acc != INT32_MIN); |y| <= 2^30 and
// |2^(rs-1) + (out_off << rs)| < 2^28, so the sum does not overflow; (y + 2^(rs-1) - (y < 0))
// >> rs is RoundingDivideByPOT for rs >= 1, and out_off << rs inside the shift adds out_off
// after it. Everything else (and a block with an accumulator beyond that) goes through
// mn_requantize().
MN_INLINE int32_t mn_ssat8(int32_t x) {
    int32_t r;
    __asm ("ssat %0, #8, %1" : "=r" (r) : "r" (x));
    return r;
}

// v <- acc[i] requantized with m, rnd, rs (returns 1 if 2 acc[i] overflows).
#define MN_FC_FUSED(i, v) \
    int32_t a2; \
    if (__builtin_expect(__builtin_add_overflow(acc[i], acc[i], &a2), 0)) { \
        return 1; \
    } \
    const int32_t y = mn_smmulr(a2, m); \
    const int32_t v = (y + (y >> 31) + rnd) >> rs;

// out[i] <- acc[i] (rows o0 + i, i < rows) by the folded requantization; returns 0, or 1 (out
// not all written) if a shift is out of -20..-1 or an accumulator out of its range.
static int32_t __attribute__((noinline)) mn_fc_requant_fused(const int32_t *acc, int8_t *out,
    int32_t o0, int32_t rows, const mn_quant_t *q, const mn_requant_t *rq) {
    const int32_t lo = q->act_min, hi = q->act_max;
    const uint32_t oo = (uint32_t)q->output_offset;
    if (rq->per_channel) {
        const int32_t *mult = rq->multiplier + o0, *shift = rq->shift + o0;
        for (int32_t i = 0; i < rows; i++) {
            const int32_t rs = -shift[i], m = mult[i];
            if (rs < 1 || rs > 20) {
                return 1;
            }
            const int32_t rnd = (int32_t)((1u << (rs - 1)) + (oo << rs));
            MN_FC_FUSED(i, v)
            out[i] = (int8_t)mn_clamp(v, lo, hi);
        }
        return 0;
    }
    const int32_t m = rq->multiplier[0], rs = -rq->shift[0];
    if (rs < 1 || rs > 20) {
        return 1;
    }
    const int32_t rnd = (int32_t)((1u << (rs - 1)) + (oo << rs));
    if (lo == -128 && hi == 127) {
        for (int32_t i = 0; i < rows; i++) {
            MN_FC_FUSED(i, v)
            out[i] = (int8_t)mn_ssat8(v);
        }
    } else {
        for (int32_t i = 0; i < rows; i++) {
            MN_FC_FUSED(i, v)
            out[i] = (int8_t)mn_clamp(v, lo, hi);
        }
    }
    return 0;
}
#undef MN_FC_FUSED

// out[i] <- acc[i] (rows o0 + i, i < rows) by mn_requantize().
static void __attribute__((noinline)) mn_fc_requant_exact(const int32_t *acc, int8_t *out,
    int32_t o0, int32_t rows, const mn_quant_t *q, const mn_requant_t *rq) {
    const int32_t pc = rq->per_channel ? 1 : 0;
    const int32_t *mult = rq->multiplier + pc * o0, *shift = rq->shift + pc * o0;
    for (int32_t i = 0; i < rows; i++, mult += pc, shift += pc) {
        const int32_t v = mn_requantize(acc[i], *mult, *shift) + q->output_offset;
        out[i] = (int8_t)mn_clamp(v, q->act_min, q->act_max);
    }
}

void mn_fully_connected_s8_dsp(const int8_t *input, const int8_t *weights, const int32_t *bias,
    int8_t *output, int32_t batches, int32_t n, int32_t out_features, const mn_quant_t *quant,
    const mn_requant_t *requant) {
    int32_t xw[MN_FC_CHUNK / 2];
    int32_t acc[MN_FC_BLOCK + 1];
    mn_fc_pass_t ps;
    const int32_t n4 = n & ~3;
    const int32_t off = quant->input_offset;
    const int32_t off2 = (int32_t)(((uint32_t)off & 0xFFFFu) | ((uint32_t)off << 16));
    const int32_t aligned = ((uintptr_t)weights & 3) == 0 && (n & 3) == 0;
    ps.xw = xw;
    for (int32_t b = 0; b < batches; b++, input += n, output += out_features) {
        for (int32_t o0 = 0; o0 < out_features; o0 += MN_FC_BLOCK) {
            // rows o0..o0 + rows - 1
            const int32_t rows = out_features - o0 < MN_FC_BLOCK ? out_features - o0 : MN_FC_BLOCK;
            const int8_t *w = weights + o0 * n;
            for (int32_t i = 0; i < rows; i++) {
                acc[i] = bias ? bias[o0 + i] : 0;
            }
            // features c0..c0 + len - 1, a chunk at a time (one chunk: widened once a batch)
            for (int32_t c0 = 0; c0 < n4; c0 += MN_FC_CHUNK) {
                const int32_t len = n4 - c0 < MN_FC_CHUNK ? n4 - c0 : MN_FC_CHUNK;
                if (o0 == 0 || n4 > MN_FC_CHUNK) {
                    mn_fc_widen(input + c0, len, off2, xw);
                }
                ps.groups = len >> 2;
                ps.step = 2 * n - len;
                ps.acc = acc;
                ps.w = w + c0;
                ps.n1 = n;
                if (rows > 1) {
                    ps.end = acc + (rows & ~1);
                    mn_fc_rows(&ps, aligned);
                }
                if (rows & 1) {
                    // the last row alone (ps.acc is at it)
                    ps.end = acc + rows;
                    ps.w = w + (rows - 1) * n + c0;
                    ps.n1 = 0;
                    mn_fc_rows(&ps, aligned);
                }
            }
            // features n4..n - 1
            for (int32_t f = n4; f < n; f++) {
                const int32_t v = input[f] + off;
                for (int32_t i = 0; i < rows; i++) {
                    acc[i] += v * w[i * n + f];
                }
            }
            if (mn_fc_requant_fused(acc, output + o0, o0, rows, quant, requant)) {
                mn_fc_requant_exact(acc, output + o0, o0, rows, quant, requant);
            }
        }
    }
}
// acc_out[r] += sum_i (x[i] + off) * w[r * n + i] for r < rows (wrapping): the passes above
// without bias or requantization, MN_FC_BLOCK rows at a time (the inner product of
// TRANSPOSE_CONV and BATCH_MATMUL, mn_dot_rows_s8).
void mn_fc_dot_rows_dsp(const int8_t *x, int32_t n, int32_t off, const int8_t *w, int32_t rows,
    int32_t *acc_out) {
    int32_t xw[MN_FC_CHUNK / 2];
    int32_t acc[MN_FC_BLOCK + 1];
    mn_fc_pass_t ps;
    const int32_t n4 = n & ~3;
    const int32_t off2 = (int32_t)(((uint32_t)off & 0xFFFFu) | ((uint32_t)off << 16));
    const int32_t aligned = ((uintptr_t)w & 3) == 0 && (n & 3) == 0;
    ps.xw = xw;
    for (int32_t o0 = 0; o0 < rows; o0 += MN_FC_BLOCK) {
        const int32_t nr = rows - o0 < MN_FC_BLOCK ? rows - o0 : MN_FC_BLOCK;
        const int8_t *wb = w + o0 * n;
        for (int32_t i = 0; i < nr; i++) {
            acc[i] = 0;
        }
        for (int32_t c0 = 0; c0 < n4; c0 += MN_FC_CHUNK) {
            const int32_t len = n4 - c0 < MN_FC_CHUNK ? n4 - c0 : MN_FC_CHUNK;
            if (o0 == 0 || n4 > MN_FC_CHUNK) {
                mn_fc_widen(x + c0, len, off2, xw);
            }
            ps.groups = len >> 2;
            ps.step = 2 * n - len;
            ps.acc = acc;
            ps.w = wb + c0;
            ps.n1 = n;
            if (nr > 1) {
                ps.end = acc + (nr & ~1);
                mn_fc_rows(&ps, aligned);
            }
            if (nr & 1) {
                // the last row alone (ps.acc is at it; acc[nr] takes the copy)
                ps.end = acc + nr;
                ps.w = wb + (nr - 1) * n + c0;
                ps.n1 = 0;
                mn_fc_rows(&ps, aligned);
            }
        }
        for (int32_t f = n4; f < n; f++) {
            const int32_t v = x[f] + off;
            for (int32_t i = 0; i < nr; i++) {
                acc[i] += v * wb[i * n + f];
            }
        }
        for (int32_t i = 0; i < nr; i++) {
            acc_out[o0 + i] = (int32_t)((uint32_t)acc_out[o0 + i] + (uint32_t)acc[i]);
        }
    }
}
#endif // MN_ARM_DSP
