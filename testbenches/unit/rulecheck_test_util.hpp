// rulecheck_test_util.hpp: looking at a rule checker's violations in tests (docs/rulecheck.md).
#ifndef GICSIM_RULECHECK_TEST_UTIL_HPP
#define GICSIM_RULECHECK_TEST_UTIL_HPP

#include <cstring>
#include <string>

#include "gicsim/rulecheck.h"

// The first kept violation of `rule` whose message starts with the check name `check`, or nullptr.
inline const gic_violation *find_violation(const gic_rulecheck_t *rc, const char *rule, const char *check) {
    size_t l = strlen(check);
    for (size_t i = 0; i < gic_rulecheck_count(rc); i++) {
        const gic_violation *x = gic_rulecheck_get(rc, i);
        if (x && !strcmp(x->rule, rule) && !strncmp(x->msg, check, l) && x->msg[l] == ':') return x;
    }
    return nullptr;
}

// Every kept violation, formatted, one per line (for failure messages).
inline std::string violations_report(const gic_rulecheck_t *rc) {
    std::string s;
    for (size_t i = 0; i < gic_rulecheck_count(rc); i++) {
        char buf[2048];
        gic_violation_format(gic_rulecheck_get(rc, i), buf, sizeof buf);
        s += buf;
        s += '\n';
    }
    return s;
}

#endif
