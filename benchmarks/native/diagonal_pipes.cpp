// The diagonal kernel's inner steps on registers only, to measure what this machine's vector pipes allow:
//   mode 0: the E-step step, 2 vectors of rows x 4 components: 8 subtractions, 8 multiplies, 8 FMAs
//   mode 1: the moments step, 2 components: 8 subtractions, 8 multiplies, 8 additions, 8 FMAs
//   mode 2: 16 FMAs on 8 independent chains (the FMA peak)
// Every mode issues 16 multiply-class 512-bit operations per iteration; the figure printed is their rate.
// Build and run (see benchmarks/README.md): g++ -O2 -march=x86-64-v4 -o diagonal_pipes diagonal_pipes.cpp && ./diagonal_pipes
#include <immintrin.h>
#include <chrono>
#include <cstdio>
int main() {
  long iters = 200000000L / 8;
  __m512d x0 = _mm512_set1_pd(1.0001), x1 = _mm512_set1_pd(0.9999), m = _mm512_set1_pd(1e-9), p = _mm512_set1_pd(0.999999);
  __m512d acc[8], acc2[8]; for (int i = 0; i < 8; i++) acc[i] = acc2[i] = _mm512_setzero_pd();
  for (int mode = 0; mode < 3; mode++) for (int rep = 0; rep < 3; rep++) {
    auto t0 = std::chrono::steady_clock::now();
    for (long it = 0; it < iters; it++) {
      if (mode == 0) {
        #pragma GCC unroll 4
        for (int c = 0; c < 4; c++) {
          __m512d mu = _mm512_set1_pd(1e-9 * c);
          __asm__("" : "+v"(mu));
          __m512d da = _mm512_sub_pd(x0, mu), db = _mm512_sub_pd(x1, mu);
          acc[c] = _mm512_fmadd_pd(_mm512_mul_pd(da, p), da, acc[c]);
          acc[c + 4] = _mm512_fmadd_pd(_mm512_mul_pd(db, p), db, acc[c + 4]);
        }
      } else if (mode == 1) {
        #pragma GCC unroll 4
        for (int c = 0; c < 4; c++) {
          __m512d mu = _mm512_set1_pd(1e-9 * c);
          __asm__("" : "+v"(mu));
          __m512d du = _mm512_sub_pd(x0, mu), dv = _mm512_sub_pd(x1, mu);
          __m512d wu = _mm512_mul_pd(p, du), wv = _mm512_mul_pd(m, dv);
          acc[c] = _mm512_add_pd(acc[c], wu); acc[c + 4] = _mm512_add_pd(acc[c + 4], wv);
          acc2[c] = _mm512_fmadd_pd(wu, du, acc2[c]); acc2[c + 4] = _mm512_fmadd_pd(wv, dv, acc2[c + 4]);
        }
      } else {
        #pragma GCC unroll 8
        for (int c = 0; c < 8; c++) { acc[c] = _mm512_fmadd_pd(acc[c], p, m); }
        #pragma GCC unroll 8
        for (int c = 0; c < 8; c++) { acc[c] = _mm512_fmadd_pd(acc[c], p, m); }
      }
    }
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    double sum = 0; for (int i = 0; i < 8; i++) sum += _mm512_reduce_add_pd(acc[i]) + _mm512_reduce_add_pd(acc2[i]);
    double mulops = 16.0 * iters; // mul-class 512-bit ops per iteration in every mode
    printf("mode %d: %.3f s, %.2f G mul-class 512-bit ops/s (%g)\n", mode, s, mulops / s / 1e9, sum + _mm512_reduce_add_pd(x0));
  }
}
