/* The privilege mode the program runs in, for C and for assembly alike: machine mode on
 * bare metal (QEMU's virt machine, -bios none), supervisor mode under SBI firmware
 * (OpenSBI on QEMU or on a board) when built with -DHW_SBI. The runtime names the
 * mode's registers and bits through these, and is otherwise the same program. The
 * assembly also needs the number of harts from here. */
#ifndef HW_MODE_H
#define HW_MODE_H

#ifdef HW_SBI
#define XSTATUS sstatus
#define XTVEC stvec
#define XEPC sepc
#define XCAUSE scause
#define XTVAL stval
#define XIE sie
#define XSCRATCH sscratch
#define XRET sret
#define XSTATUS_IE 0x2    /* SIE */
#define XSTATUS_PIE 0x20  /* SPIE */
#define XSTATUS_PP 0x100  /* SPP: return to supervisor mode */
#define XIE_SOFT 0x2      /* sie.SSIE */
#define IRQ_SOFT 1        /* the supervisor software interrupt: an SBI IPI */
#else
#define XSTATUS mstatus
#define XTVEC mtvec
#define XEPC mepc
#define XCAUSE mcause
#define XTVAL mtval
#define XIE mie
#define XSCRATCH mscratch
#define XRET mret
#define XSTATUS_IE 0x8    /* MIE */
#define XSTATUS_PIE 0x80  /* MPIE */
#define XSTATUS_PP 0x1800 /* MPP: return to machine mode */
#define XIE_SOFT 0x8      /* mie.MSIE */
#define IRQ_SOFT 3        /* the machine software interrupt: the CLINT's MSIP */
#endif

/* The most harts the runtime has room for (support.ts MAX_HARTS). */
#define HW_MAX_HARTS 8

#define HW_STR_(x) #x
#define HW_STR(x) HW_STR_(x)

#endif
