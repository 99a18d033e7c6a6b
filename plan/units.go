package plan

import (
	"strings"
)

// groupMarkers make a unit name a group: a collective such as 各街道办 that
// the office may expand to its members in the plan file.
var (
	groupPrefixes = []string{"各", "全区各", "区直各", "有关", "相关"}
	groupSuffixes = []string{"成员单位", "各单位", "各部门", "有关单位", "有关部门", "相关单位", "相关部门"}
)

// isGroupName reports whether name stands for several units.
func isGroupName(name string) bool {
	for _, p := range groupPrefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	for _, s := range groupSuffixes {
		if strings.HasSuffix(name, s) {
			return true
		}
	}
	return strings.Contains(name, "各成员单位")
}

// bracketStyle rewrites every bracket style of a unit name as the full-width
// round brackets Chinese official names use: 区委〈政府〉办 → 区委（政府）办.
var bracketStyle = strings.NewReplacer(
	"〈", "（", "〉", "）", "<", "（", ">", "）", "(", "（", ")", "）",
	"[", "（", "]", "）", "［", "（", "］", "）", "【", "（", "】", "）",
)

// canonicalUnitName is how the plan writes a unit's name.
func canonicalUnitName(name string) string {
	return bracketStyle.Replace(strings.Join(strings.Fields(name), ""))
}

// unitRegistry collects the units of an import in order of first mention
// and maps every spelling to one canonical name.
type unitRegistry struct {
	units []Unit
	index map[string]int // NormalizeUnitName of every known spelling → units index
}

func newUnitRegistry() *unitRegistry {
	return &unitRegistry{index: map[string]int{}}
}

// resolve returns the canonical name of a unit named in the document,
// registering it the first time. The first spelling the document uses is
// canonical (with brackets made uniform); the others become aliases.
func (r *unitRegistry) resolve(name string) string {
	canonical := canonicalUnitName(name)
	key := NormalizeUnitName(name)
	if i, ok := r.index[key]; ok {
		u := &r.units[i]
		r.addAlias(i, name)
		if canonical != u.Name {
			r.addAlias(i, canonical)
		}
		return u.Name
	}
	u := Unit{Name: canonical, Aliases: []string{}, Group: isGroupName(canonical)}
	r.units = append(r.units, u)
	i := len(r.units) - 1
	r.index[key] = i
	r.addAlias(i, name)
	return canonical
}

// addAlias records another spelling of unit i, such as the document's own
// bracket style, unless it is the canonical name itself.
func (r *unitRegistry) addAlias(i int, spelling string) {
	spelling = strings.Join(strings.Fields(spelling), "")
	u := &r.units[i]
	r.index[NormalizeUnitName(spelling)] = i
	if spelling == u.Name {
		return
	}
	for _, a := range u.Aliases {
		if a == spelling {
			return
		}
	}
	u.Aliases = append(u.Aliases, spelling)
}
