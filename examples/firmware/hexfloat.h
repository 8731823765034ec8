/* hexfloat.h - a float as C's "%a" prints it after promotion to double
 * ("0x1.b3f2bp+0"), built from its bits: newlib-nano's printf has no %a,
 * and this way the firmware, the host and rkgen's golden files print the
 * very same text for the very same bits. */
#ifndef HEXFLOAT_H
#define HEXFLOAT_H

/* Writes into buf (at least 24 bytes); returns buf. */
char *hexfloat(float x, char *buf);

#endif
