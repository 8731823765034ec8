/* startup.c - reset for a Cortex-M4F with nothing else underneath: the
 * vector table, the FPU switched on, .data copied and .bss cleared, then
 * main; its status leaves QEMU through semihosting (exit). */
#include <stdint.h>
#include <stdlib.h>

extern uint32_t __data_start, __data_end, __data_load, __bss_start__, __bss_end__;
extern char __stack_top;
extern int main(void);

void reset_handler(void);
void fault_handler(void);

#define SCB_CPACR (*(volatile uint32_t *)0xE000ED88u)

void reset_handler(void)
{
    /* Full access to coprocessors 10 and 11 (the FPU): without it the
     * first floating-point instruction faults.  The barriers make sure
     * the setting is in force before any FPU instruction issues. */
    SCB_CPACR |= 0xFu << 20;
    __asm__ volatile("dsb\n\tisb" ::: "memory");
    for (uint32_t *s = &__data_load, *d = &__data_start; d < &__data_end;)
        *d++ = *s++;
    for (uint32_t *d = &__bss_start__; d < &__bss_end__;)
        *d++ = 0;
    exit(main());
}

/* Any fault ends the run with a failure status instead of hanging QEMU. */
void fault_handler(void)
{
    exit(3);
}

/* Initial stack pointer, reset, then NMI and the faults. */
__attribute__((section(".vectors"), used)) static void (*const vectors[16])(void) = {
    (void (*)(void))(uintptr_t)&__stack_top,
    reset_handler,
    fault_handler, fault_handler, fault_handler, fault_handler, fault_handler,
};
