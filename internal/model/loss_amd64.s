#include "textflag.h"

// Offsets of the constant vectors in bceConsts (bce_amd64.go), 32 bytes each.
#define ABS 0
#define C700 32
#define EXPK 64
#define HALF 96
#define LN2HI 128
#define LN2LO 160
#define ONE 192
#define R6 224
#define R24 256
#define R120 288
#define R720 320
#define C256 352
#define R256 384
#define M6 416
#define R7 448
#define M4 480
#define R5 512
#define M2 544
#define R3 576
#define ZERO 608
#define MASK63 640

// func bceSumFMA(z, y *float64, n int, exp *[expSteps]float64, log1p *[log1pSteps + 1][2]float64, k *[bceConstCount][4]uint64) (sum float64, ok bool)
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
