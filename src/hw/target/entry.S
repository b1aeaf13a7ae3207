# Entry, trap vector and task switch of the bare-metal program `patchlit emit` writes for
# QEMU's virt machine (-bios none): every hart starts here in machine mode at 0x80000000
# with its hart id in a0. Static: what a scenario adds is in scenario.c and steps.S.

	.option norelax
	.section .text.entry, "ax"
	.globl _start
_start:
	csrr	a0, mhartid
	# A stack per hart: hw_stacks + (hartid + 1) * HW_STACK_BYTES.
	la	sp, hw_stacks
	li	t0, HW_STACK_BYTES
	addi	t1, a0, 1
	mul	t0, t0, t1
	add	sp, sp, t0
	la	t0, hw_trap_vector
	csrw	mtvec, t0
	call	hw_main
1:	wfi
	j	1b

	.text
	# Every trap: the 31 registers saved in a frame on the stack, hw_trap(frame) in C, then
	# the registers as the frame holds them (the handler may have changed any) and MRET.
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
	mret

	# hw_run_task(start, regs, mstatus): the task's registers from regs[1..31] (sp kept:
	# stubs and traps need the hart's stack), then MRET to start, which turns interrupts on or
	# off (mstatus.MPIE) as the jump is made. It comes back through hw_task_return, from the
	# trap handler: at the task's idle point, or after a crash.
	.globl hw_run_task
hw_run_task:
	addi	sp, sp, -256
	.irp r, 1,3,4,8,9,18,19,20,21,22,23,24,25,26,27
	sd	x\r, \r*8(sp)
	.endr
	csrr	t0, mhartid
	la	t1, hw_task_sp
	slli	t0, t0, 3
	add	t1, t1, t0
	sd	sp, 0(t1)
	csrw	mepc, a0
	csrw	mstatus, a2
	mv	t5, a1
	.irp r, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,31
	ld	x\r, \r*8(t5)
	.endr
	ld	t5, 30*8(t5)
	mret

	.globl hw_task_return
hw_task_return:
	csrr	t0, mhartid
	la	t1, hw_task_sp
	slli	t0, t0, 3
	add	t1, t1, t0
	ld	sp, 0(t1)
	.irp r, 1,3,4,8,9,18,19,20,21,22,23,24,25,26,27
	ld	x\r, \r*8(sp)
	.endr
	addi	sp, sp, 256
	ret
