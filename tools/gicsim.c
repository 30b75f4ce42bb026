/* gicsim.c: the gicsim command-line program (placeholder main until the demo lands). */
#include "gicsim/gic.h"
#include <stdio.h>
int main(void) { return 0; }
