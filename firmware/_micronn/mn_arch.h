// Architecture feature flags of the kernels: the one place they are defined. Each is 0 or 1,
// derived from the compiler's predefined macros unless the build defines it (-DMN_HOST_SIMD=0:
// the unix firmware on the portable C loops, `make fw-unix-nosimd`). Setting a flag to 1 for a
// target without those instructions does not compile.
//
// Variants of a kernel (see kernels/): mn_<op>_<dtype> in kernels/mn_<op>_<dtype>.c is the
// public entry and the portable optimized C; a whole-kernel variant for an architecture is
// mn_<op>_<dtype>_<variant> in kernels/mn_<op>_<dtype>_<variant>.c, variant one of
//   ref   plain C reference (always compiled, bit-exact with TFLite Micro; the fallback)
//   dsp   ARMv7E-M DSP extension      (MN_ARM_DSP)
//   m3    ARMv7-M without DSP         (MN_ARM_M3)
//   m0    ARMv6-M (Thumb-1)           (MN_ARM_V6M)
//   mve   Helium                      (MN_MVE)
//   sse2  x86-64 host                 (MN_HOST_SIMD)
// and the public entry dispatches to it at its top, in one form:
//   #if MN_<FLAG>
//   if (mn_<op>_<dtype>_<variant>(...)) { return; }   // or a plain call and return
//   #endif
// Smaller per-architecture pieces (a helper's inner loop) stay in the kernel's file under
// `#if MN_<FLAG>`.
#ifndef MN_ARCH_H
#define MN_ARCH_H

// ARMv7E-M / ARMv8-M DSP extension (SXTB16, SMLAD, SSUB8/SEL): Cortex-M4, M7, M33, M55
// (MPS2_AN386, MPS2_AN500, MPS3_AN547, RPI_PICO2).
#ifndef MN_ARM_DSP
#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP
#define MN_ARM_DSP 1
#else
#define MN_ARM_DSP 0
#endif
#endif

// ARMv7-M without the DSP extension (one MLA per MAC, SSAT, SMULL): the *_m3 assembly paths.
// Cortex-M3 (MPS2_AN385).
#ifndef MN_ARM_M3
#if defined(__ARM_ARCH_7M__) && !MN_ARM_DSP
#define MN_ARM_M3 1
#else
#define MN_ARM_M3 0
#endif
#endif

// ARMv6-M (Thumb-1 only: no IT, no MLA, no SMLAD; MULS 32x32->32; 8 low registers for most
// ALU ops): the *_m0 paths. Cortex-M0+ (RPI_PICO, RP2040).
#ifndef MN_ARM_V6M
#if defined(__ARM_ARCH_6M__)
#define MN_ARM_V6M 1
#else
#define MN_ARM_V6M 0
#endif
#endif

// SSAT (saturate to a signed bit width) as an instruction: ARMv7-M, ARMv7E-M and any Arm core
// with __ARM_FEATURE_SAT (M3, M4, M7, M33, M55); elsewhere a clamp in C.
#ifndef MN_ARM_SSAT
#if defined(__ARM_ARCH_7M__) || defined(__ARM_ARCH_7EM__) || defined(__ARM_FEATURE_SAT)
#define MN_ARM_SSAT 1
#else
#define MN_ARM_SSAT 0
#endif
#endif

// Helium (MVE integer, Armv8.1-M): the *_mve paths. Cortex-M55 (MPS3_AN547).
#ifndef MN_MVE
#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 1)
#define MN_MVE 1
#else
#define MN_MVE 0
#endif
#endif

// x86-64 SSE2 (baseline x86-64, no -march flags): the *_sse2 paths. The unix firmware on a
// PC (`unix`); 0 in `unix-nosimd`, which runs the portable C loops of RP2040 and ESP32.
#ifndef MN_HOST_SIMD
#if defined(__x86_64__) && defined(__SSE2__)
#define MN_HOST_SIMD 1
#else
#define MN_HOST_SIMD 0
#endif
#endif

#endif // MN_ARCH_H
