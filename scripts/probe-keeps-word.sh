#!/usr/bin/env bash
# The CLI probes of RELIABILITY.md "The record keeps its word" (issue 14), each as the command line it
# names: builds each hostile input from the example record in a temporary directory, runs the
# command, and prints its exit code and the first line it wrote. The expected results are the
# table's "after" column; the tests in tests/tests/keeps_word.rs assert them (this script only shows
# them, so that a reader can see each probe run).
#
#   cargo build --release -p roei-cli && bash scripts/probe-keeps-word.sh
set -uo pipefail
cd "$(dirname "$0")/.."
ROEI=${ROEI:-$PWD/target/release/roei}
EXAMPLE=$PWD/examples/nagaoka-usb-loss.json
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"

# probe NAME COMMAND...: runs COMMAND and prints "NAME -> exit N: first line of its output".
probe() {
  local name=$1; shift
  local out code
  out=$("$@" 2>&1); code=$?
  local shown=$*
  shown=${shown//$ROEI/roei}
  shown=${shown//$EXAMPLE/examples/nagaoka-usb-loss.json}
  printf '%s\n    $ %s\n    -> exit %s: %s\n' "$name" "$shown" "$code" "$(printf '%s' "$out" | head -n 1 | cut -c1-240)"
}

# edit OUT PYTHON: writes OUT from the example, changed by the Python expression over its text `t`.
edit() { python3 -c "import sys; t=open('$EXAMPLE',encoding='utf-8').read(); open('$1','w',encoding='utf-8').write($2)"; }

edit bignum.json "t.replace('\"summary\": \"作業場所の施錠保管庫からUSBメモリが所在不明\"', '\"summary\": 123456789012345678901234567890')"
probe "number text kept by seal" sh -c "'$ROEI' seal bignum.json | grep -o '\"summary\": *[0-9.e+]*'"

edit one.json "t.replace('\"summary\": \"作業場所の施錠保管庫からUSBメモリが所在不明\"', '\"summary\": 1.0')"
"$ROEI" seal one.json > one.sealed.json
sed 's/"summary": *1\.0/"summary": 1.00/' one.sealed.json > one.edited.json
probe "sealed 1.0 edited to 1.00" "$ROEI" verify one.edited.json

edit unknown.json "t.replace('\"format\": \"roei/incident@1\",', '\"format\": \"roei/incident@1\", \"n\": 0.1000000000000000055511151231257827,')"
probe "unknown top-level number kept on write-back" sh -c "'$ROEI' seal unknown.json | grep -o '\"n\": *[0-9.]*'"

edit dupprofile.json "t.replace('\"profile\": \"nagaoka\",', '\"profile\": \"nagaoka\", \"profile\": \"kimitsu\",')"
probe "duplicate profile" "$ROEI" validate dupprofile.json
edit dupevents.json "t.rstrip().rstrip('}') + ', \"events\": []}'"
probe "second events array" "$ROEI" validate dupevents.json
edit dupid.json "t.replace('\"id\": \"INC-2026-0042\",', '\"id\": \"INC-2026-0042\", \"id\": \"OTHER\",')"
probe "second top-level id" "$ROEI" validate dupid.json
edit dupkind.json "t.replace('\"kind\": \"loss\",', '\"kind\": \"leak\", \"kind\": \"loss\",')"
probe "duplicate kind in event data" "$ROEI" validate dupkind.json
edit escactor.json "t.replace('\"actor\": \"contractor\",', '\"actor\": \"contractor\", \"\\\\u0061ctor\": \"principal\",', 1)"
probe "actor spelled twice (one escaped)" "$ROEI" validate escactor.json
printf '{"format":"roei/policy@1","targets":{"immediately":"PT1H","immediately":"P30D"}}' > duppolicy.json
probe "duplicate key in a policy" "$ROEI" check "$EXAMPLE" --at 2026-11-03T00:00:00+09:00 --policy duppolicy.json

edit repeat.json "t.replace('\"events\": [', '\"events\": [ { \"id\": \"e0\", \"at\": \"2026-11-02T10:00:00+09:00\", \"type\": \"closed\", \"actor\": \"contractor\" }, {\"id\":\"e0\",\"at\":\"2026-11-02T10:00:00+09:00\",\"type\":\"closed\",\"actor\":\"contractor\"},', 1)"
probe "same id twice, other spacing" "$ROEI" validate repeat.json

python3 -c "
t = open('$EXAMPLE', encoding='utf-8').read()
head = t[: t.index('\"events\": [') + len('\"events\": [')]
ev = lambda i: '{\"id\":\"x%d\",\"at\":\"2026-11-02T10:00:00+09:00\",\"type\":\"facts\",\"actor\":\"contractor\",\"data\":{\"summary\":\"%s\"}}' % (i, 'a' * 2000)
out = head + ','.join(ev(i) for i in range(3983)) + ']}'
open('big.json', 'w', encoding='utf-8').write(out)
"
probe "seal of a valid record near 8 MiB ($(wc -c < big.json) bytes)" "$ROEI" seal big.json
probe "/dev/zero" timeout 5 "$ROEI" check /dev/zero
python3 -c "t=open('$EXAMPLE','rb').read(); open('ff.json','wb').write(t.replace(b'INC-2026-0042', b'INC-2026-\xff042', 1))"
probe "byte 0xFF inside id" "$ROEI" validate ff.json
python3 -c "t=open('$EXAMPLE','rb').read(); open('bom.json','wb').write(b'\xef\xbb\xbf' + t)"
probe "UTF-8 BOM in front" "$ROEI" validate bom.json
probe "seal to a full disk" sh -c "'$ROEI' seal '$EXAMPLE' > /dev/full"
edit y10000.json "t.replace('2026-11-02T10:15:00+09:00', '9999-12-31T23:00:00-09:00', 1)"
probe "year 10000 in Japan time" "$ROEI" validate y10000.json
edit ansi.json "t.replace('\"id\": \"INC-2026-0042\"', '\"id\": \"X\\\\u001b[2J\\\\u001b[Hok: all clear\\\\u202e\"', 1)"
probe "control and bidi characters in the id" "$ROEI" validate ansi.json
"$ROEI" seal "$EXAMPLE" > sealed.json
python3 -c "
import json
r = json.load(open('sealed.json', encoding='utf-8'))
for e in r['events']: e.pop('seal', None)
json.dump(r, open('stripped.json', 'w', encoding='utf-8'), ensure_ascii=False)
"
probe "every seal stripped" "$ROEI" verify stripped.json
anchor=$("$ROEI" verify sealed.json | grep -o '[0-9a-f]\{64\}' | tail -n 1)
python3 -c "
import json
r = json.load(open('stripped.json', encoding='utf-8'))
r['events'][1]['data']['measures'] = '書き換えた内容'
json.dump(r, open('rewritten.json', 'w', encoding='utf-8'), ensure_ascii=False)
"
"$ROEI" seal rewritten.json > resealed.json
probe "edited, stripped and resealed: verify alone" "$ROEI" verify resealed.json
probe "the same with the anchor printed earlier" "$ROEI" verify resealed.json --anchor "$anchor"
python3 -c "
import json
r = json.load(open('sealed.json', encoding='utf-8'))
r['events'][1]['data']['measures'] = '書き換えた内容'
json.dump(r, open('edited.json', 'w', encoding='utf-8'), ensure_ascii=False)
"
probe "edited without resealing, with the anchor" "$ROEI" verify edited.json --anchor "$anchor"
