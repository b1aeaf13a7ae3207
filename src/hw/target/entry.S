# Entry, trap vector and task switch of the program `patchlit emit` writes. Bare metal
# (QEMU's virt machine, -bios none): every hart starts at _start in machine mode. Under
# SBI firmware (-DHW_SBI): the firmware starts one hart at _start in supervisor mode with
# its hart id in a0; hw_boot starts the others at hw_secondary. Either way each hart keeps
# its index in the runtime (0 patches, 1..N run the tasks) in XSCRATCH, which a task's
# registers cannot overwrite. Static: what a scenario adds is in scenario.c and scenario.S.
#include "mode.h"

	.option norelax
	.section .text.entry, "ax"
	.globl _start
_start:
#ifdef HW_SBI
	# The Linux image header (Documentation/arch/riscv/boot-image-header.rst), so that the
	# firmware or U-Boot's booti boots prog.bin as a kernel: a0 the hart id, a1 the device
	# tree. Its first word jumps over it.
	.option push
	.option norvc
	j	1f
	.option pop
	.word	0
	.dword	0x200000		# text_offset: from the start of RAM
	.dword	__image_size		# link.ld: the runtime's bytes, .bss included
	.dword	0			# flags: little-endian
	.word	0x2			# header version 0.2
	.word	0
	.dword	0
	.ascii	"RISCV\0\0\0"		# magic (deprecated)
	.ascii	"RSC\x05"		# magic2
	.word	0
1:
	# The boot stack is the last of hw_stacks' HW_MAX_HARTS + 1 slots.
	la	sp, hw_stacks
	li	t0, (HW_MAX_HARTS + 1) * HW_STACK_BYTES
	add	sp, sp, t0
	call	hw_boot			# a0: this hart's index
	j	2f
	.globl hw_secondary
hw_secondary:
	mv	a0, a1			# hart_start's opaque argument: the index
2:
#else
	csrr	a0, mhartid
#endif
	csrw	XSCRATCH, a0
	# A stack per hart: hw_stacks + (index + 1) * HW_STACK_BYTES.
	la	sp, hw_stacks
	li	t0, HW_STACK_BYTES
	addi	t1, a0, 1
	mul	t0, t0, t1
	add	sp, sp, t0
	la	t0, hw_trap_vector
	csrw	XTVEC, t0
	call	hw_main
3:	wfi
	j	3b

	.text
	# Every trap: the 31 registers saved in a frame on the stack, hw_trap(frame) in C, then
	# the registers as the frame holds them (the handler may have changed any) and XRET.
	.balign 4
	.globl hw_trap_vector
hw_trap_vector:
	addi	sp, sp, -256
	.irp r, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	sd	x\r, \r*8(sp)
	.endr
	addi	t0, sp, 256
	sd	t0, 2*8(sp)		# the interrupted sp, as frame[2]
	mv	a0, sp
	call	hw_trap
	.irp r, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ld	x\r, \r*8(sp)
	.endr
	addi	sp, sp, 256
	XRET

	# hw_run_task(start, regs, status): the task's registers from regs[1..31] (sp kept:
	# stubs and traps need the hart's stack), then XRET to start, which turns interrupts on
	# or off (status's previous-enable bit) as the jump is made. It comes back through
	# hw_task_return, from the trap handler: at the task's idle point, or after a crash.
	.globl hw_run_task
hw_run_task:
	addi	sp, sp, -256
	.irp r, 1,3,4,8,9,18,19,20,21,22,23,24,25,26,27
	sd	x\r, \r*8(sp)
	.endr
	csrr	t0, XSCRATCH
	la	t1, hw_task_sp
	slli	t0, t0, 3
	add	t1, t1, t0
	sd	sp, 0(t1)
	csrw	XEPC, a0
	csrw	XSTATUS, a2
	mv	t5, a1
	.irp r, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,31
	ld	x\r, \r*8(t5)
	.endr
	ld	t5, 30*8(t5)
	XRET

	.globl hw_task_return
hw_task_return:
	csrr	t0, XSCRATCH
	la	t1, hw_task_sp
	slli	t0, t0, 3
	add	t1, t1, t0
	ld	sp, 0(t1)
	.irp r, 1,3,4,8,9,18,19,20,21,22,23,24,25,26,27
	ld	x\r, \r*8(sp)
	.endr
	addi	sp, sp, 256
	ret
