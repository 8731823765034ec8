/* hexfloat.c - "%a" text of a float from its bits, for firmware whose
 * printf has none (hexfloat.h). */
#include "hexfloat.h"

#include <stdint.h>
#include <string.h>

static char *put(char *p, const char *s)
{
    while (*s)
        *p++ = *s++;
    return p;
}

char *hexfloat(float x, char *buf)
{
    static const char digit[] = "0123456789abcdef";
    uint32_t u;
    memcpy(&u, &x, sizeof u);
    char *p = buf;
    int e = (int)((u >> 23) & 0xffu);
    uint32_t m = u & 0x7fffffu;
    if (u >> 31)
        p = put(p, "-");
    if (e == 0xff) {
        put(p, m ? "nan" : "inf")[0] = '\0';
        return buf;
    }
    if (e == 0 && m == 0) {
        put(p, "0x0p+0")[0] = '\0';
        return buf;
    }
    if (e == 0) { /* subnormal float: a normal double, so normalise */
        e = 1;
        while (!(m & 0x800000u)) {
            m <<= 1;
            e--;
        }
        m &= 0x7fffffu;
    }
    e -= 127;
    p = put(p, "0x1");
    /* 23 fraction bits, left-aligned in 24 = six hex digits */
    uint32_t frac = m << 1;
    if (frac) {
        *p++ = '.';
        for (int shift = 20; frac & ((1u << (shift + 4)) - 1u); shift -= 4)
            *p++ = digit[(frac >> shift) & 0xfu];
    }
    *p++ = 'p';
    *p++ = e < 0 ? '-' : '+';
    unsigned a = (unsigned)(e < 0 ? -e : e);
    if (a >= 100)
        *p++ = (char)('0' + a / 100);
    if (a >= 10)
        *p++ = (char)('0' + a / 10 % 10);
    *p++ = (char)('0' + a % 10);
    *p = '\0';
    return buf;
}
