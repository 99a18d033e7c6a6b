package digest

import "github.com/luohu/reformbot/store"

// The unbound rule of the package doc, in code.

// unbound lists the units with pairs that no contact has ever been bound
// to, under their name or a former one, in the order of missing.
func (b *builder) unbound() []string {
	bound := map[string]bool{}
	for _, c := range b.in.Contacts {
		if c.Role == store.RoleContact && c.Unit != "" {
			bound[c.Unit] = true
		}
	}
	formerly := map[string][]string{}
	for _, u := range b.in.Plan.Units {
		formerly[u.Name] = u.Formerly
	}
	out := []string{}
	seen := map[string]bool{}
	add := func(unit string) {
		if seen[unit] || !b.unitKnown[unit] {
			return
		}
		seen[unit] = true
		// Follow later renames (a short chain; a cycle stops at the bound).
		for name, n := unit, 0; name != "" && n < 8; name, n = b.in.Renamed[name], n+1 {
			if bound[name] {
				return
			}
		}
		for _, old := range formerly[unit] {
			if bound[old] {
				return
			}
		}
		out = append(out, unit)
	}
	for _, u := range b.in.Plan.Units {
		add(u.Name)
	}
	for _, u := range b.unitSeen {
		add(u)
	}
	return out
}
