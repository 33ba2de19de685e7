#!/usr/bin/env bash
# Starts PostgreSQL and RabbitMQ on 127.0.0.1 (installing what is missing), builds everything
# (benchmarks included, not run), runs every test project and the Rego policy tests, and ends with
# one line: "tests: N passed, M failed, K skipped".
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
# shellcheck source=lib/services.sh
source scripts/lib/services.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

echo "== services"
ensure_services

echo "== build"
dotnet build BalticAI.Sovereignty.sln -c Release -nologo -clp:ErrorsOnly

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
status=0

# Test projects are those using the test SDK (load tests and benchmarks are programs, built only).
# Fault tests stop and start services of their own; they run alone, after everything else.
mapfile -t test_projects < <(grep -l 'Microsoft.NET.Test.Sdk' tests/*/*.csproj | sort)
projects=(); fault_projects=()
for project in "${test_projects[@]}"; do
  case $project in
    *FaultTests*) fault_projects+=("$project") ;;
    *) projects+=("$project") ;;
  esac
done

# The console logger runs at "detailed" because only there does xUnit print the stack of a failed fixture
# cleanup (at "minimal" it names the exception type alone, and neither a test nor the trx counts it). That
# level also carries the brokers' own log, so the whole output goes to a file and the terminal gets xUnit's
# failure reports and the summary.
shown='^\[xUnit\.net [^]]*\] {4}|^(Test run for|Test Run|Results File:|Total tests:|\s+(Passed|Failed|Skipped|Total): [0-9]|\s*Total time:)'
run_tests() {
  local project=$1 name code errors
  name=$(basename "$project" .csproj)
  echo "== test $name"
  dotnet test "$project" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=detailed" \
    --results-directory "$results" > "$results/$name.log" 2>&1 && code=0 || code=$?
  grep -E "$shown" "$results/$name.log" || true
  if [ ! -f "$results/$name.trx" ]; then
    echo "$name produced no test results; the end of its output:" >&2
    tail -n 40 "$results/$name.log" >&2
    status=1
  elif [ "$code" -ne 0 ]; then
    status=1
    errors=$(grep -c -E '^\[xUnit\.net [^]]*\] {4,}\[[^]]*Failure' "$results/$name.log" || true)
    run_errors=$((run_errors + errors))
  fi
}
run_errors=0

for project in "${projects[@]}"; do run_tests "$project"; done
for project in "${fault_projects[@]}"; do run_tests "$project"; done

passed=0; failed=0; skipped=0; coverage_short=0
counter() { sed -n "s/.*<Counters [^>]*\b$1=\"\([0-9]*\)\".*/\1/p" "$2" | head -n1; }
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  p=$(counter passed "$trx"); f=$(counter failed "$trx"); e=$(counter error "$trx"); n=$(counter notExecuted "$trx")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0})); skipped=$((skipped + ${n:-0}))
done

if [ -d policies ] && find policies -name "*_test.rego" | grep -q .; then
  echo "== policy tests (balticai policy test policies/ --threshold 100)"
  policy_out=$(mktemp)
  # Every line of every module must be reached by some test (exit code 1 otherwise, naming the lines not reached).
  # The results and that summary come on standard error; the JSON report on standard output is not kept here
  # (`balticai policy test policies --coverage` prints it).
  if dotnet run --project src/BalticAI.Sovereignty.Cli -c Release --no-build -- policy test policies/ --threshold 100 \
    2>&1 >/dev/null | tee "$policy_out"; then :; else status=1; fi
  # The runner ends, as opa test does, with "PASS: n/m", "FAIL: k/m" and "ERROR: e/m", each only when not 0
  # (no PASS line when nothing passed); a test that raised an error did not pass either.
  p=$(sed -n 's|^PASS: \([0-9]*\)/[0-9]*$|\1|p' "$policy_out" | tail -n1)
  f=$(sed -n 's|^FAIL: \([0-9]*\)/[0-9]*$|\1|p' "$policy_out" | tail -n1)
  e=$(sed -n 's|^ERROR: \([0-9]*\)/[0-9]*$|\1|p' "$policy_out" | tail -n1)
  p=${p:-0}; f=${f:-0}; e=${e:-0}
  passed=$((passed + p)); failed=$((failed + f + e))
  if grep -q '^Code coverage threshold not met' "$policy_out"; then coverage_short=1; fi
  rm -f "$policy_out"
fi

if [ "$failed" -gt 0 ]; then status=1; fi
if [ "$run_errors" -gt 0 ]; then
  echo "run errors: $run_errors outside any test (fixture cleanup, test host), reported by the [xUnit.net] lines above"
fi
if [ "$coverage_short" -eq 1 ]; then
  echo "policy coverage below 100%: the policy test run above names the lines no test reaches"
fi
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit $status
