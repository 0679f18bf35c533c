#include "textflag.h"

// func axpy8FMA(y *float64, n int, s *[8]float64, x *float64, stride int, bias float64, mode int)
//
// y[i] += s[0]*x[i] + s[1]*x[stride+i] + ... + s[7]*x[7*stride+i] for i in
// [0, n), each term one fused multiply-add into y[i], four rows per AVX2
// vector. With mode&1, y[i] starts from bias instead of its old value; with
// mode&2, a result whose sign bit is set is stored as +0 (ReLU, exactly as
// the Go code masks it). The rows are independent, so the out-of-order core
// overlaps the chains of consecutive iterations.
TEXT ·axpy8FMA(SB), NOSPLIT, $0-56
	MOVQ y+0(FP), DI
	MOVQ n+8(FP), CX
	MOVQ s+16(FP), SI
	MOVQ x+24(FP), R8
	MOVQ stride+32(FP), R9
	MOVQ mode+48(FP), R12
	SHLQ $3, R9
	LEAQ (R9)(R9*2), R10
	ADDQ R8, R10           // x3 = x + 3*stride
	LEAQ (R10)(R9*2), R11
	ADDQ R9, R11           // x6 = x3 + 3*stride
	VBROADCASTSD 0(SI), Y0
	VBROADCASTSD 8(SI), Y1
	VBROADCASTSD 16(SI), Y2
	VBROADCASTSD 24(SI), Y3
	VBROADCASTSD 32(SI), Y4
	VBROADCASTSD 40(SI), Y5
	VBROADCASTSD 48(SI), Y6
	VBROADCASTSD 56(SI), Y7
	VBROADCASTSD bias+40(FP), Y10
	VXORPD Y11, Y11, Y11

loop4:
	CMPQ CX, $4
	JLT  tail
	TESTQ $1, R12
	JZ   load4
	VMOVAPD Y10, Y8
	JMP  acc4

load4:
	VMOVUPD (DI), Y8

acc4:
	VFMADD231PD (R8), Y0, Y8
	VFMADD231PD (R8)(R9*1), Y1, Y8
	VFMADD231PD (R8)(R9*2), Y2, Y8
	VFMADD231PD (R10), Y3, Y8
	VFMADD231PD (R8)(R9*4), Y4, Y8
	VFMADD231PD (R10)(R9*2), Y5, Y8
	VFMADD231PD (R11), Y6, Y8
	VFMADD231PD (R10)(R9*4), Y7, Y8
	TESTQ $2, R12
	JZ   store4
	VBLENDVPD Y8, Y11, Y8, Y8

store4:
	VMOVUPD Y8, (DI)
	ADDQ $32, DI
	ADDQ $32, R8
	ADDQ $32, R10
	ADDQ $32, R11
	SUBQ $4, CX
	JMP  loop4

tail:
	CMPQ CX, $0
	JEQ  done
	TESTQ $1, R12
	JZ   load1
	VMOVAPD X10, X8
	JMP  acc1

load1:
	VMOVSD (DI), X8

acc1:
	VFMADD231SD (R8), X0, X8
	VFMADD231SD (R8)(R9*1), X1, X8
	VFMADD231SD (R8)(R9*2), X2, X8
	VFMADD231SD (R10), X3, X8
	VFMADD231SD (R8)(R9*4), X4, X8
	VFMADD231SD (R10)(R9*2), X5, X8
	VFMADD231SD (R11), X6, X8
	VFMADD231SD (R10)(R9*4), X7, X8
	TESTQ $2, R12
	JZ   store1
	VBLENDVPD X8, X11, X8, X8

store1:
	VMOVSD X8, (DI)
	ADDQ $8, DI
	ADDQ $8, R8
	ADDQ $8, R10
	ADDQ $8, R11
	DECQ CX
	JMP  tail

done:
	VZEROUPPER
	RET

// func layer4FMA(z *float64, w *float64, in int, bias *[4]float64, a *float64, stride int, blocks int, relu int)
//
// Four output units of a dense layer over blocks of eight rows: for u in
// [0, 4) and each row i, z[u*stride+i] = bias[u] + w[u*in+0]*a[i] + ... +
// w[u*in+in-1]*a[(in-1)*stride+i], one fused multiply-add per term in the
// order of the inputs (as axpy8 adds them). Each input's two vectors of
// rows are loaded once for the four units, and the eight accumulators stay
// in registers for the whole sum: eight independent chains cover the FMA
// units' latency, and the loads (six per eight FMAs) stay under their
// ports' rate. With relu != 0, a result whose sign bit is set is stored as
// +0, as relu masks it.
TEXT ·layer4FMA(SB), NOSPLIT, $0-64
	MOVQ z+0(FP), DI
	MOVQ w+8(FP), SI
	MOVQ in+16(FP), DX
	MOVQ bias+24(FP), AX
	MOVQ a+32(FP), R8
	MOVQ stride+40(FP), R9
	MOVQ blocks+48(FP), CX
	MOVQ relu+56(FP), BX
	SHLQ $3, R9            // stride in bytes
	MOVQ DX, R10
	SHLQ $3, R10           // one unit's weights in bytes
	LEAQ (R10)(R10*2), R11 // three units' weights
	VBROADCASTSD 0(AX), Y12
	VBROADCASTSD 8(AX), Y13
	VBROADCASTSD 16(AX), Y14
	VBROADCASTSD 24(AX), Y15
	VXORPD Y11, Y11, Y11
	TESTQ CX, CX
	JEQ  ldone

lblock:
	VMOVAPD Y12, Y0
	VMOVAPD Y12, Y1
	VMOVAPD Y13, Y2
	VMOVAPD Y13, Y3
	VMOVAPD Y14, Y4
	VMOVAPD Y14, Y5
	VMOVAPD Y15, Y6
	VMOVAPD Y15, Y7
	MOVQ R8, AX  // input k's rows
	MOVQ SI, R12 // unit 0's weight k
	MOVQ DX, R13

lk:
	VMOVUPD (AX), Y8
	VMOVUPD 32(AX), Y9
	VBROADCASTSD (R12), Y10
	VFMADD231PD Y8, Y10, Y0
	VFMADD231PD Y9, Y10, Y1
	VBROADCASTSD (R12)(R10*1), Y10
	VFMADD231PD Y8, Y10, Y2
	VFMADD231PD Y9, Y10, Y3
	VBROADCASTSD (R12)(R10*2), Y10
	VFMADD231PD Y8, Y10, Y4
	VFMADD231PD Y9, Y10, Y5
	VBROADCASTSD (R12)(R11*1), Y10
	VFMADD231PD Y8, Y10, Y6
	VFMADD231PD Y9, Y10, Y7
	ADDQ R9, AX
	ADDQ $8, R12
	DECQ R13
	JNZ  lk

	TESTQ BX, BX
	JZ   lstore
	VBLENDVPD Y0, Y11, Y0, Y0
	VBLENDVPD Y1, Y11, Y1, Y1
	VBLENDVPD Y2, Y11, Y2, Y2
	VBLENDVPD Y3, Y11, Y3, Y3
	VBLENDVPD Y4, Y11, Y4, Y4
	VBLENDVPD Y5, Y11, Y5, Y5
	VBLENDVPD Y6, Y11, Y6, Y6
	VBLENDVPD Y7, Y11, Y7, Y7

lstore:
	LEAQ (DI)(R9*2), AX
	VMOVUPD Y0, (DI)
	VMOVUPD Y1, 32(DI)
	VMOVUPD Y2, (DI)(R9*1)
	VMOVUPD Y3, 32(DI)(R9*1)
	VMOVUPD Y4, (AX)
	VMOVUPD Y5, 32(AX)
	VMOVUPD Y6, (AX)(R9*1)
	VMOVUPD Y7, 32(AX)(R9*1)
	ADDQ $64, DI
	ADDQ $64, R8
	DECQ CX
	JNZ  lblock

ldone:
	VZEROUPPER
	RET

// func layer4AVX512(z *float64, w *float64, in int, bias *[4]float64, a *float64, stride int, blocks int, relu int)
//
// layer4FMA with eight rows per ZMM vector: blocks of sixteen rows, the
// same fused multiply-adds in the same order, ReLU as a shift and mask of
// the sign (the same bits as relu).
TEXT ·layer4AVX512(SB), NOSPLIT, $0-64
	MOVQ z+0(FP), DI
	MOVQ w+8(FP), SI
	MOVQ in+16(FP), DX
	MOVQ bias+24(FP), AX
	MOVQ a+32(FP), R8
	MOVQ stride+40(FP), R9
	MOVQ blocks+48(FP), CX
	MOVQ relu+56(FP), BX
	SHLQ $3, R9
	MOVQ DX, R10
	SHLQ $3, R10
	LEAQ (R10)(R10*2), R11
	VBROADCASTSD 0(AX), Z12
	VBROADCASTSD 8(AX), Z13
	VBROADCASTSD 16(AX), Z14
	VBROADCASTSD 24(AX), Z15
	TESTQ CX, CX
	JEQ  zdone

zblock:
	VMOVAPD Z12, Z0
	VMOVAPD Z12, Z1
	VMOVAPD Z13, Z2
	VMOVAPD Z13, Z3
	VMOVAPD Z14, Z4
	VMOVAPD Z14, Z5
	VMOVAPD Z15, Z6
	VMOVAPD Z15, Z7
	MOVQ R8, AX
	MOVQ SI, R12
	MOVQ DX, R13

zk:
	VMOVUPD (AX), Z8
	VMOVUPD 64(AX), Z9
	VBROADCASTSD (R12), Z10
	VFMADD231PD Z8, Z10, Z0
	VFMADD231PD Z9, Z10, Z1
	VBROADCASTSD (R12)(R10*1), Z11
	VFMADD231PD Z8, Z11, Z2
	VFMADD231PD Z9, Z11, Z3
	VBROADCASTSD (R12)(R10*2), Z10
	VFMADD231PD Z8, Z10, Z4
	VFMADD231PD Z9, Z10, Z5
	VBROADCASTSD (R12)(R11*1), Z11
	VFMADD231PD Z8, Z11, Z6
	VFMADD231PD Z9, Z11, Z7
	ADDQ R9, AX
	ADDQ $8, R12
	DECQ R13
	JNZ  zk

	TESTQ BX, BX
	JZ   zstore
	VPSRAQ $63, Z0, Z16
	VPANDNQ Z0, Z16, Z0
	VPSRAQ $63, Z1, Z17
	VPANDNQ Z1, Z17, Z1
	VPSRAQ $63, Z2, Z18
	VPANDNQ Z2, Z18, Z2
	VPSRAQ $63, Z3, Z19
	VPANDNQ Z3, Z19, Z3
	VPSRAQ $63, Z4, Z20
	VPANDNQ Z4, Z20, Z4
	VPSRAQ $63, Z5, Z21
	VPANDNQ Z5, Z21, Z5
	VPSRAQ $63, Z6, Z22
	VPANDNQ Z6, Z22, Z6
	VPSRAQ $63, Z7, Z23
	VPANDNQ Z7, Z23, Z7

zstore:
	LEAQ (DI)(R9*2), AX
	VMOVUPD Z0, (DI)
	VMOVUPD Z1, 64(DI)
	VMOVUPD Z2, (DI)(R9*1)
	VMOVUPD Z3, 64(DI)(R9*1)
	VMOVUPD Z4, (AX)
	VMOVUPD Z5, 64(AX)
	VMOVUPD Z6, (AX)(R9*1)
	VMOVUPD Z7, 64(AX)(R9*1)
	ADDQ $128, DI
	ADDQ $128, R8
	DECQ CX
	JNZ  zblock

zdone:
	VZEROUPPER
	RET

// func layer8AVX512(z *float64, w *float64, in int, bias *[8]float64, a *float64, stride int, blocks int, relu int)
//
// layer4AVX512 for eight units at once: sixteen accumulators (eight units
// times two vectors of rows), so each input's rows are loaded once for
// eight units and twice as many chains cover the FMA units' latency.
TEXT ·layer8AVX512(SB), NOSPLIT, $0-64
	MOVQ z+0(FP), DI
	MOVQ w+8(FP), SI
	MOVQ in+16(FP), DX
	MOVQ bias+24(FP), AX
	MOVQ a+32(FP), R8
	MOVQ stride+40(FP), R9
	MOVQ blocks+48(FP), CX
	SHLQ $3, R9
	MOVQ DX, R10
	SHLQ $3, R10
	LEAQ (R10)(R10*2), R11
	VBROADCASTSD 0(AX), Z20
	VBROADCASTSD 8(AX), Z21
	VBROADCASTSD 16(AX), Z22
	VBROADCASTSD 24(AX), Z23
	VBROADCASTSD 32(AX), Z24
	VBROADCASTSD 40(AX), Z25
	VBROADCASTSD 48(AX), Z26
	VBROADCASTSD 56(AX), Z27
	TESTQ CX, CX
	JEQ  z8done

z8block:
	VMOVAPD Z20, Z0
	VMOVAPD Z20, Z1
	VMOVAPD Z21, Z2
	VMOVAPD Z21, Z3
	VMOVAPD Z22, Z4
	VMOVAPD Z22, Z5
	VMOVAPD Z23, Z6
	VMOVAPD Z23, Z7
	VMOVAPD Z24, Z8
	VMOVAPD Z24, Z9
	VMOVAPD Z25, Z10
	VMOVAPD Z25, Z11
	VMOVAPD Z26, Z12
	VMOVAPD Z26, Z13
	VMOVAPD Z27, Z14
	VMOVAPD Z27, Z15
	MOVQ R8, AX
	MOVQ SI, R12
	LEAQ (SI)(R10*4), BX // unit 4's weight k
	MOVQ DX, R13

z8k:
	VMOVUPD (AX), Z16
	VMOVUPD 64(AX), Z17
	VBROADCASTSD (R12), Z18
	VFMADD231PD Z16, Z18, Z0
	VFMADD231PD Z17, Z18, Z1
	VBROADCASTSD (R12)(R10*1), Z19
	VFMADD231PD Z16, Z19, Z2
	VFMADD231PD Z17, Z19, Z3
	VBROADCASTSD (R12)(R10*2), Z18
	VFMADD231PD Z16, Z18, Z4
	VFMADD231PD Z17, Z18, Z5
	VBROADCASTSD (R12)(R11*1), Z19
	VFMADD231PD Z16, Z19, Z6
	VFMADD231PD Z17, Z19, Z7
	VBROADCASTSD (BX), Z18
	VFMADD231PD Z16, Z18, Z8
	VFMADD231PD Z17, Z18, Z9
	VBROADCASTSD (BX)(R10*1), Z19
	VFMADD231PD Z16, Z19, Z10
	VFMADD231PD Z17, Z19, Z11
	VBROADCASTSD (BX)(R10*2), Z18
	VFMADD231PD Z16, Z18, Z12
	VFMADD231PD Z17, Z18, Z13
	VBROADCASTSD (BX)(R11*1), Z19
	VFMADD231PD Z16, Z19, Z14
	VFMADD231PD Z17, Z19, Z15
	ADDQ R9, AX
	ADDQ $8, R12
	ADDQ $8, BX
	DECQ R13
	JNZ  z8k

	CMPQ relu+56(FP), $0
	JEQ  z8store
	VPSRAQ $63, Z0, Z28
	VPANDNQ Z0, Z28, Z0
	VPSRAQ $63, Z1, Z29
	VPANDNQ Z1, Z29, Z1
	VPSRAQ $63, Z2, Z30
	VPANDNQ Z2, Z30, Z2
	VPSRAQ $63, Z3, Z31
	VPANDNQ Z3, Z31, Z3
	VPSRAQ $63, Z4, Z28
	VPANDNQ Z4, Z28, Z4
	VPSRAQ $63, Z5, Z29
	VPANDNQ Z5, Z29, Z5
	VPSRAQ $63, Z6, Z30
	VPANDNQ Z6, Z30, Z6
	VPSRAQ $63, Z7, Z31
	VPANDNQ Z7, Z31, Z7
	VPSRAQ $63, Z8, Z28
	VPANDNQ Z8, Z28, Z8
	VPSRAQ $63, Z9, Z29
	VPANDNQ Z9, Z29, Z9
	VPSRAQ $63, Z10, Z30
	VPANDNQ Z10, Z30, Z10
	VPSRAQ $63, Z11, Z31
	VPANDNQ Z11, Z31, Z11
	VPSRAQ $63, Z12, Z28
	VPANDNQ Z12, Z28, Z12
	VPSRAQ $63, Z13, Z29
	VPANDNQ Z13, Z29, Z13
	VPSRAQ $63, Z14, Z30
	VPANDNQ Z14, Z30, Z14
	VPSRAQ $63, Z15, Z31
	VPANDNQ Z15, Z31, Z15

z8store:
	LEAQ (DI)(R9*2), AX
	LEAQ (DI)(R9*4), BX
	LEAQ (BX)(R9*2), R12
	VMOVUPD Z0, (DI)
	VMOVUPD Z1, 64(DI)
	VMOVUPD Z2, (DI)(R9*1)
	VMOVUPD Z3, 64(DI)(R9*1)
	VMOVUPD Z4, (AX)
	VMOVUPD Z5, 64(AX)
	VMOVUPD Z6, (AX)(R9*1)
	VMOVUPD Z7, 64(AX)(R9*1)
	VMOVUPD Z8, (BX)
	VMOVUPD Z9, 64(BX)
	VMOVUPD Z10, (BX)(R9*1)
	VMOVUPD Z11, 64(BX)(R9*1)
	VMOVUPD Z12, (R12)
	VMOVUPD Z13, 64(R12)
	VMOVUPD Z14, (R12)(R9*1)
	VMOVUPD Z15, 64(R12)(R9*1)
	ADDQ $128, DI
	ADDQ $128, R8
	DECQ CX
	JNZ  z8block

z8done:
	VZEROUPPER
	RET

// func cpuid(leaf, sub uint32) (eax, ebx, ecx, edx uint32)
TEXT ·cpuid(SB), NOSPLIT, $0-24
	MOVL leaf+0(FP), AX
	MOVL sub+4(FP), CX
	CPUID
	MOVL AX, eax+8(FP)
	MOVL BX, ebx+12(FP)
	MOVL CX, ecx+16(FP)
	MOVL DX, edx+20(FP)
	RET

// func xgetbv0() uint32
TEXT ·xgetbv0(SB), NOSPLIT, $0-4
	MOVL $0, CX
	XGETBV
	MOVL AX, ret+0(FP)
	RET
