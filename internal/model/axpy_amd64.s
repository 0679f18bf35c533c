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
