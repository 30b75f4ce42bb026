# expect_exit.sh: sourced by the test scripts that check a refusal (exit status and one stderr line).
# expect CODE PATTERN CMD...: CMD must exit with CODE and print exactly one stderr line matching the grep -E PATTERN.
# Uses $dir (a scratch directory) and counts failures in $fails.
expect() {
    code=$1; pat=$2; shift 2
    "$@" > "$dir/out" 2> "$dir/err"
    rc=$?
    n=$(wc -l < "$dir/err")
    if [ "$rc" != "$code" ] || [ "$n" != 1 ] || ! grep -Eq -- "$pat" "$dir/err"; then
        echo "FAIL: $* -> exit $rc (expected $code), $n stderr lines (expected 1 matching '$pat'):"
        sed 's/^/    /' "$dir/err"
        fails=$((fails + 1))
    else
        echo "ok: $* -> exit $rc: $(cat "$dir/err")"
    fi
}
