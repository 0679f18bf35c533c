#include "textflag.h"

// Offsets of the constant vectors in bceConsts (loss_amd64.go), 64 bytes
// each: eight lanes for the AVX-512 kernel, of which the AVX2 one reads four.
#define ABS 0
#define C700 64
#define EXPK 128
#define HALF 192
#define LN2HI 256
#define LN2LO 320
#define ONE 384
#define R6 448
#define R24 512
#define R120 576
#define R720 640
#define C256 704
#define R256 768
#define M6 832
#define R7 896
#define M4 960
#define R5 1024
#define M2 1088
#define R3 1152
#define ZERO 1216
#define MASK63 1280
#define EXPK16 1344
#define LN2HI16 1408
#define LN2LO16 1472
#define R5040 1536
#define R40320 1600
#define EXP16 1664

// func bceSumFMA(z, y *float64, n int, exp *[expSteps]float64, log1p *[log1pSteps + 1][2]float64, k *[bceConstCount][8]uint64) (sum float64, ok bool)
//
// The sum over n rows (a multiple of four) of max(z, 0) - z*y +
// log1p(exp(-|z|)), four rows per vector: expNeg and log1pSmall, the same
// reductions, tables and series, written out lane by lane with the table
// entries gathered. ok is false when some |z| is above 700 or NaN, where
// the scalar code takes math.Exp: the caller then redoes the rows; the
// lanes are clamped to 700 first so every gathered index stays in its
// table.
TEXT ·bceSumFMA(SB), NOSPLIT, $0-57
	MOVQ z+0(FP), SI
	MOVQ y+8(FP), DI
	MOVQ n+16(FP), CX
	MOVQ exp+24(FP), R8
	MOVQ log1p+32(FP), R9
	MOVQ k+40(FP), R10
	VXORPD Y15, Y15, Y15    // sum of each lane
	VPCMPEQQ Y14, Y14, Y14  // lanes whose every |z| was <= 700
	SHRQ $2, CX
	JEQ  bdone

bloop:
	VMOVUPD (SI), Y0                 // x
	VANDPD ABS(R10), Y0, Y1          // a = |x|
	VCMPPD $2, C700(R10), Y1, Y13    // a <= 700, false for NaN
	VANDPD Y13, Y14, Y14
	VMINPD C700(R10), Y1, Y2         // min(a, 700), NaN to 700

	// exp(-a): a = n*ln2/64 + r, 2^(-n/64) = T[n%64] * 2^(-n/64).
	VMOVUPD HALF(R10), Y3
	VFMADD231PD EXPK(R10), Y2, Y3
	VROUNDPD $9, Y3, Y3              // n, floor toward -inf
	VCVTTPD2DQY Y3, X4
	VMOVAPD Y2, Y5
	VFNMADD231PD LN2HI(R10), Y3, Y5
	VFNMADD231PD LN2LO(R10), Y3, Y5  // r
	VPAND MASK63(R10), X4, X6
	VPCMPEQQ Y7, Y7, Y7
	VGATHERDPD Y7, (R8)(X6*8), Y8    // T[n%64]
	VPSRLD $6, X4, X9
	VPMOVZXDQ X9, Y9
	VPSLLQ $52, Y9, Y9
	VMOVDQU ONE(R10), Y10
	VPSUBQ Y9, Y10, Y9               // 2^(-n/64) as bits
	VMULPD Y5, Y5, Y11               // r^2
	VMOVUPD R24(R10), Y12
	VFNMADD231PD R120(R10), Y5, Y12
	VFMADD231PD R720(R10), Y11, Y12  // 1/24 - r/120 + r^2/720
	VMOVUPD HALF(R10), Y13
	VFNMADD231PD R6(R10), Y5, Y13    // 1/2 - r/6
	VFMADD231PD Y12, Y11, Y13
	VMOVUPD ONE(R10), Y12
	VSUBPD Y5, Y12, Y12
	VFMADD231PD Y13, Y11, Y12        // exp(-r)
	VMULPD Y8, Y12, Y12
	VMULPD Y9, Y12, Y12              // e = exp(-a)

	// log1p(e) = log1p(e0) + log1p(r), e0 = k/256, r = (e-e0)/(1+e0).
	VMOVUPD HALF(R10), Y1
	VFMADD231PD C256(R10), Y12, Y1
	VROUNDPD $9, Y1, Y1              // k
	VCVTTPD2DQY Y1, X4
	VPSLLD $1, X4, X4
	VPCMPEQQ Y7, Y7, Y7
	VGATHERDPD Y7, (R9)(X4*8), Y8    // log1p(e0)
	VPCMPEQQ Y7, Y7, Y7
	VGATHERDPD Y7, 8(R9)(X4*8), Y9   // 1/(1+e0)
	VFNMADD231PD R256(R10), Y1, Y12
	VMULPD Y9, Y12, Y2               // r
	VMULPD Y2, Y2, Y3                // r^2
	VMOVUPD M6(R10), Y5
	VFMADD231PD R7(R10), Y2, Y5      // c = -1/6 + r/7
	VMOVUPD M4(R10), Y6
	VFMADD231PD R5(R10), Y2, Y6      // b = -1/4 + r/5
	VMOVUPD M2(R10), Y10
	VFMADD231PD R3(R10), Y2, Y10     // a = -1/2 + r/3
	VFMADD231PD Y5, Y3, Y6
	VFMADD231PD Y6, Y3, Y10
	VFMADD231PD Y10, Y3, Y2          // log1p(r)
	VADDPD Y2, Y8, Y8

	// max(x, 0) - x*y + log1p(exp(-|x|))
	VMAXPD ZERO(R10), Y0, Y1
	VFNMADD231PD (DI), Y0, Y1
	VADDPD Y8, Y1, Y1
	VADDPD Y1, Y15, Y15

	ADDQ $32, SI
	ADDQ $32, DI
	DECQ CX
	JNZ  bloop

bdone:
	VEXTRACTF128 $1, Y15, X0
	VADDPD X0, X15, X0
	VUNPCKHPD X0, X0, X1
	VADDSD X1, X0, X0
	VMOVSD X0, sum+48(FP)
	VMOVMSKPD Y14, AX
	CMPQ AX, $15
	SETEQ ok+56(FP)
	VZEROUPPER
	RET

// func bceSumAVX512(z, y *float64, n int, exp *[expSteps]float64, log1p *[log1pSteps + 1][2]float64, k *[bceConstCount][8]uint64) (sum float64, ok bool)
//
// bceSumFMA with eight rows per ZMM vector (n a multiple of eight): the
// same operations lane by lane, the check of |z| <= 700 in a mask register.
TEXT ·bceSumAVX512(SB), NOSPLIT, $0-57
	MOVQ z+0(FP), SI
	MOVQ y+8(FP), DI
	MOVQ n+16(FP), CX
	MOVQ exp+24(FP), R8
	MOVQ log1p+32(FP), R9
	MOVQ k+40(FP), R10
	VPXORQ Z15, Z15, Z15
	KXNORB K3, K3, K3       // lanes whose every |z| was <= 700
	SHRQ $3, CX
	JEQ  zbdone

zbloop:
	VMOVUPD (SI), Z0
	VPANDQ ABS(R10), Z0, Z1
	VCMPPD $2, C700(R10), Z1, K2
	KANDB K2, K3, K3
	VMINPD C700(R10), Z1, Z2

	// exp(-a): a = n*ln2/16 + r, 2^(-n/16) = 2^(-(n%16)/16) * 2^-(n/16),
	// the first permuted from a 16-entry table in two registers.
	VMOVUPD HALF(R10), Z3
	VFMADD231PD EXPK16(R10), Z2, Z3
	VRNDSCALEPD $9, Z3, Z3
	VCVTTPD2QQ Z3, Z4                // n, one per 64-bit lane
	VMOVAPD Z2, Z5
	VFNMADD231PD LN2HI16(R10), Z3, Z5
	VFNMADD231PD LN2LO16(R10), Z3, Z5  // r
	VMOVDQU64 EXP16(R10), Z8
	VPERMT2PD EXP16+64(R10), Z4, Z8  // 2^(-(n%16)/16): the low four bits index
	VPSRLQ $4, Z4, Z9
	VPSLLQ $52, Z9, Z9
	VMOVDQU64 ONE(R10), Z10
	VPSUBQ Z9, Z10, Z9               // 2^-(n/16) as bits
	VMULPD Z5, Z5, Z11               // r^2
	VMULPD Z11, Z11, Z6              // r^4
	VMOVUPD HALF(R10), Z12
	VFNMADD231PD R6(R10), Z5, Z12    // 1/2 - r/6
	VMOVUPD R24(R10), Z13
	VFNMADD231PD R120(R10), Z5, Z13  // 1/24 - r/120
	VMOVUPD R720(R10), Z7
	VFNMADD231PD R5040(R10), Z5, Z7  // 1/720 - r/5040
	VFMADD231PD Z7, Z11, Z13
	VMOVUPD R40320(R10), Z7
	VFMADD231PD Z7, Z6, Z13
	VMULPD Z13, Z6, Z7
	VFMADD231PD Z12, Z11, Z7
	VSUBPD Z5, Z7, Z7                // exp(-r) - 1, small
	VMULPD Z9, Z8, Z8                // 2^(-n/16), exact above the subnormals
	VMOVAPD Z8, Z12
	VFMADD231PD Z7, Z8, Z12          // e = exp(-a), one rounding past the table's

	VMOVUPD HALF(R10), Z1
	VFMADD231PD C256(R10), Z12, Z1
	VRNDSCALEPD $9, Z1, Z1
	VCVTTPD2DQ Z1, Y4
	VPSLLD $1, Y4, Y4
	KXNORB K1, K1, K1
	VGATHERDPD (R9)(Y4*8), K1, Z8
	KXNORB K1, K1, K1
	VGATHERDPD 8(R9)(Y4*8), K1, Z9
	VFNMADD231PD R256(R10), Z1, Z12
	VMULPD Z9, Z12, Z2
	VMULPD Z2, Z2, Z3
	VMOVUPD M6(R10), Z5
	VFMADD231PD R7(R10), Z2, Z5
	VMOVUPD M4(R10), Z6
	VFMADD231PD R5(R10), Z2, Z6
	VMOVUPD M2(R10), Z10
	VFMADD231PD R3(R10), Z2, Z10
	VFMADD231PD Z5, Z3, Z6
	VFMADD231PD Z6, Z3, Z10
	VFMADD231PD Z10, Z3, Z2
	VADDPD Z2, Z8, Z8

	VMAXPD ZERO(R10), Z0, Z1
	VFNMADD231PD (DI), Z0, Z1
	VADDPD Z8, Z1, Z1
	VADDPD Z1, Z15, Z15

	ADDQ $64, SI
	ADDQ $64, DI
	DECQ CX
	JNZ  zbloop

zbdone:
	VEXTRACTF64X4 $1, Z15, Y0
	VADDPD Y0, Y15, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPD X1, X0, X0
	VUNPCKHPD X0, X0, X1
	VADDSD X1, X0, X0
	VMOVSD X0, sum+48(FP)
	KMOVB K3, AX
	CMPQ AX, $255
	SETEQ ok+56(FP)
	VZEROUPPER
	RET
