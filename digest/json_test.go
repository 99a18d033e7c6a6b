package digest

import (
	"encoding/json"
	"reflect"
	"testing"
)

func decodeJSON(t *testing.T, d *Digest) map[string]any {
	t.Helper()
	b, err := d.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	return out
}

func TestJSONContract(t *testing.T) {
	in := testInput(t)
	in.Period, in.Acceptance = "2017-12", testAcceptance()
	// December has no reports, so every unit is null; April below has both.
	for _, tt := range []struct {
		name string
		in   Input
	}{{"april", testInput(t)}, {"december", in}, {"empty", Input{Period: apr}}} {
		t.Run(tt.name, func(t *testing.T) {
			doc := decodeJSON(t, Build(tt.in))
			if doc["period"] != string(tt.in.Period) {
				t.Errorf("period = %v", doc["period"])
			}
			for _, key := range []string{"measures", "missing", "difficulties", "unreachable", "projects", "stalled", "overdue", "unbound"} {
				if _, ok := doc[key].([]any); !ok {
					t.Errorf("%s = %#v, want an array", key, doc[key])
				}
			}
			if _, ok := doc["totals"].(map[string]any); !ok {
				t.Errorf("totals = %#v", doc["totals"])
			}
			for _, m := range doc["measures"].([]any) {
				m := m.(map[string]any)
				if _, ok := m["units"].([]any); !ok {
					t.Errorf("measure %v units = %#v, want an array", m["id"], m["units"])
				}
			}
			_, hasAcc := doc["acceptance"]
			if hasAcc != (tt.name == "december") {
				t.Errorf("acceptance present = %v", hasAcc)
			}
		})
	}
}

func TestJSONValues(t *testing.T) {
	doc := decodeJSON(t, Build(testInput(t)))
	m := doc["measures"].([]any)[0].(map[string]any)
	if m["id"] != "1.1.1" || m["title"] != "推进事权下放" {
		t.Errorf("first measure = %v", m)
	}
	lead := m["units"].([]any)[0].(map[string]any)
	want := map[string]any{"unit": "区编办", "role": "lead", "status": "存在困难需协调", "status_code": "needs_help", "reported_at": "2017-04-26T10:00:00+08:00"}
	for k, v := range want {
		if lead[k] != v {
			t.Errorf("1.1.1 lead %s = %#v, want %#v", k, lead[k], v)
		}
	}
	// 1.2.1 东门街道 reported nothing: status, text and reported_at are null.
	unit := doc["measures"].([]any)[2].(map[string]any)["units"].([]any)[1].(map[string]any)
	for _, k := range []string{"status", "status_code", "text", "reported_at"} {
		if v, ok := unit[k]; !ok || v != nil {
			t.Errorf("unreported %s = %#v (present %v), want null", k, v, ok)
		}
	}
	missing := doc["missing"].([]any)[0].(map[string]any)
	if missing["unit"] != "区发改局" || !reflect.DeepEqual(missing["measures"], []any{"2.3.1"}) {
		t.Errorf("missing[0] = %v", missing)
	}
	dif := doc["difficulties"].([]any)[0].(map[string]any)
	if dif["id"] != "1.1.1" || dif["unit"] != "区编办" || dif["text"] != "编制方案未获批 <急> & 待协调" {
		t.Errorf("difficulties[0] = %v", dif)
	}
	un := doc["unreachable"].([]any)[0].(map[string]any)
	if un["unit"] != OfficeName || un["user_id"] != float64(103) {
		t.Errorf("unreachable[0] = %v", un)
	}
	totals := doc["totals"].(map[string]any)
	for k, v := range map[string]float64{"pairs": 12, "reported": 9, "missing": 3, "difficulties": 1} {
		if totals[k] != v {
			t.Errorf("totals.%s = %v, want %v", k, totals[k], v)
		}
	}
	p := doc["projects"].([]any)[0].(map[string]any)
	if p["id"] != "1.1" || p["light"] != "red" || p["reported"] != float64(3) || p["total"] != float64(3) || p["category"] != "一、深化重点领域改革" {
		t.Errorf("projects[0] = %v", p)
	}
	s := doc["stalled"].([]any)[0].(map[string]any)
	if s["id"] != "1.1.1" || s["unit"] != "区法制办" || !reflect.DeepEqual(s["periods"], []any{"2017-02", "2017-03", "2017-04"}) {
		t.Errorf("stalled[0] = %v", s)
	}
	if doc["generated_at"] != "2017-05-02T09:00:00+08:00" {
		t.Errorf("generated_at = %v", doc["generated_at"])
	}
}

func TestJSONAcceptance(t *testing.T) {
	in := testInput(t)
	in.Period, in.Acceptance = "2017-12", testAcceptance()
	acc := decodeJSON(t, Build(in))["acceptance"].(map[string]any)
	if acc["year"] != float64(2017) {
		t.Errorf("year = %v", acc["year"])
	}
	m := acc["measures"].([]any)[0].(map[string]any)
	if !reflect.DeepEqual(m["lead_units"], []any{"区编办"}) {
		t.Errorf("lead_units = %v", m["lead_units"])
	}
	sub := m["submissions"].([]any)[0].(map[string]any)
	if sub["unit"] != "区编办" || sub["attachments"] != float64(2) || sub["submitted_at"] != "2018-01-05T09:00:00+08:00" {
		t.Errorf("submission = %v", sub)
	}
	empty := acc["measures"].([]any)[7].(map[string]any) // 2.4.1, no units
	for _, k := range []string{"lead_units", "submissions", "pending"} {
		if _, ok := empty[k].([]any); !ok {
			t.Errorf("2.4.1 %s = %#v, want an array", k, empty[k])
		}
	}
}
