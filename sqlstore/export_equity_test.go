package sqlstore

// CountFromFacts makes the service count every read from the referrals'
// facts, so that a test can hold the kept counts to the same answer.
func (s *EquityService) CountFromFacts() *EquityService { s.facts = true; return s }
