package dashboard

import "github.com/plein/plein/server/identity"

// FigureMonth is one team-month of figures as a reader may see them: a nil
// value is absent or withheld; Withheld names the private figures held back
// because the team is smaller than the minimum group size.
type FigureMonth struct {
	Values   map[string]*float64
	Withheld map[string]bool
}

// Series returns, per team, the visible indicators of months from..to
// (inclusive; index k is month from+k), with the same small-team rule and
// business-result visibility as the team view. Other domains (the learning
// programme's yield and coach board) read figures through this.
func (s *Service) Series(a *identity.Actor, teams []string, from, to Month) map[string][]FigureMonth {
	out := make(map[string][]FigureMonth, len(teams))
	if a == nil || to < from {
		return out
	}
	st, set := s.current(), s.currentSettings()
	c := &calc{st: st, set: set, inds: visibleIndicators(a, set)}
	for _, team := range teams {
		months := make([]FigureMonth, int(to-from)+1)
		for k := range months {
			m := from + Month(k)
			fm := FigureMonth{Values: make(map[string]*float64, len(c.inds))}
			for _, ind := range c.inds {
				v, supp := c.teamValue(team, m, ind)
				fm.Values[ind.Key] = v
				if supp != "" {
					if fm.Withheld == nil {
						fm.Withheld = map[string]bool{}
					}
					fm.Withheld[ind.Key] = true
				}
			}
			months[k] = fm
		}
		out[team] = months
	}
	return out
}
