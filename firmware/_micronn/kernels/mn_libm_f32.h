// float32 exp, log, sin, cos, expm1, tanh bit-exact with the host's glibc (kernels/mn_libm_f32.c),
// shared by the MATH (EXP, LOG, SIN, COS) and NN (LOG_SOFTMAX, LOGISTIC, TANH, ELU) areas. Not part of the public API.
#ifndef MN_LIBM_F32_H
#define MN_LIBM_F32_H

float mn_expf(float x);
float mn_logf(float x);
float mn_sinf(float x);
float mn_cosf(float x);
float mn_expm1f(float x);
float mn_tanhf(float x);

// The inputs (float bits, sorted) where mn_libm_f32.c's unfused double evaluation rounds
// otherwise than glibc's fused one, with glibc's result; each list ends with a sentinel (a NaN
// mapped to itself). Written by `python -m host_tools.check.libm_f32` (all 2^32 inputs).
#define MN_EXP_FIXES \
    {0x4202422fu, 0x56fc9f1cu}, /* ours 0x56fc9f1b */ \
    {0xc27c65d9u, 0x11fa2993u}, /* ours 0x11fa2992 */ \
    {0xffffffffu, 0xffffffffu}, /* sentinel */

#define MN_LOG_FIXES \
    {0xffffffffu, 0xffffffffu}, /* sentinel */

#define MN_SIN_FIXES \
    {0x4255b0a9u, 0xbc7d08a9u}, /* ours 0xbc7d08a8 */ \
    {0x42a35c07u, 0xbadaa3b4u}, /* ours 0xbadaa3b5 */ \
    {0x42a35d44u, 0x3a44b889u}, /* ours 0x3a44b888 */ \
    {0x42a97360u, 0x3dc7b08au}, /* ours 0x3dc7b089 */ \
    {0x42cf5854u, 0x382ee64eu}, /* ours 0x382ee64f */ \
    {0x42e87a55u, 0xb5d2257cu}, /* ours 0xb5d2257b */ \
    {0xc255b0a9u, 0x3c7d08a9u}, /* ours 0x3c7d08a8 */ \
    {0xc2a35c07u, 0x3adaa3b4u}, /* ours 0x3adaa3b5 */ \
    {0xc2a35d44u, 0xba44b889u}, /* ours 0xba44b888 */ \
    {0xc2a97360u, 0xbdc7b08au}, /* ours 0xbdc7b089 */ \
    {0xc2cf5854u, 0xb82ee64eu}, /* ours 0xb82ee64f */ \
    {0xc2e87a55u, 0x35d2257cu}, /* ours 0x35d2257b */ \
    {0xffffffffu, 0xffffffffu}, /* sentinel */

#define MN_COS_FIXES \
    {0x418a3adbu, 0xb7b4f770u}, /* ours 0xb7b4f76f */ \
    {0x418a3adcu, 0xb7a4f770u}, /* ours 0xb7a4f76f */ \
    {0x418a3addu, 0xb794f770u}, /* ours 0xb794f76f */ \
    {0x418a3adeu, 0xb784f770u}, /* ours 0xb784f76f */ \
    {0x41bc76d9u, 0xbb803f6bu}, /* ours 0xbb803f6a */ \
    {0x4202eb4bu, 0x3e821ce2u}, /* ours 0x3e821ce3 */ \
    {0x42687a55u, 0xb552257cu}, /* ours 0xb552257b */ \
    {0x4280ce28u, 0x34fdd672u}, /* ours 0x34fdd671 */ \
    {0x42870e40u, 0xbc866cc4u}, /* ours 0xbc866cc3 */ \
    {0x42c55faau, 0xbe8a34d1u}, /* ours 0xbe8a34d2 */ \
    {0x42d8d23eu, 0xbcd25ea8u}, /* ours 0xbcd25ea7 */ \
    {0xc18a3adbu, 0xb7b4f770u}, /* ours 0xb7b4f76f */ \
    {0xc18a3adcu, 0xb7a4f770u}, /* ours 0xb7a4f76f */ \
    {0xc18a3addu, 0xb794f770u}, /* ours 0xb794f76f */ \
    {0xc18a3adeu, 0xb784f770u}, /* ours 0xb784f76f */ \
    {0xc1bc76d9u, 0xbb803f6bu}, /* ours 0xbb803f6a */ \
    {0xc202eb4bu, 0x3e821ce2u}, /* ours 0x3e821ce3 */ \
    {0xc2687a55u, 0xb552257cu}, /* ours 0xb552257b */ \
    {0xc280ce28u, 0x34fdd672u}, /* ours 0x34fdd671 */ \
    {0xc2870e40u, 0xbc866cc4u}, /* ours 0xbc866cc3 */ \
    {0xc2c55faau, 0xbe8a34d1u}, /* ours 0xbe8a34d2 */ \
    {0xc2d8d23eu, 0xbcd25ea8u}, /* ours 0xbcd25ea7 */ \
    {0xffffffffu, 0xffffffffu}, /* sentinel */

#define MN_EXPM1_FIXES \
    {0xffffffffu, 0xffffffffu}, /* sentinel */

#define MN_TANH_FIXES \
    {0xffffffffu, 0xffffffffu}, /* sentinel */

#endif // MN_LIBM_F32_H
