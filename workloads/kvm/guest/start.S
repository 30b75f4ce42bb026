/* start.S: entry of the bare-metal guest (EL1, MMU off, DAIF masked).
 * The VMM starts every vCPU here with x0 = virtual EOImode, x1 = vCPU count,
 * x2 = GIC version, x3 = vCPU index. Each vCPU gets its own 16 KiB stack; the
 * image's .bss is already zero (the VMM loads it into fresh anonymous memory). */
	.section .text.start, "ax"
	.global _start
_start:
	msr	daifset, #0xf
	adr	x9, __stack_top
	lsl	x10, x3, #14
	sub	x9, x9, x10
	mov	sp, x9
	bl	guest_main
1:	wfi
	b	1b
