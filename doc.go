// Package linkwork is the vocabulary of a social prescribing service: the
// organisations and people who refer, the link workers who support, the
// referrals that arrive from every door, the cases (episodes of support) that
// follow, the community assets people are connected to, the measures that show
// what changed, and the audit trail of who saw and changed what.
//
// The package holds domain types, their states and allowed transitions, the
// application errors, and the service interfaces that adapters implement. It
// imports nothing from the project: the store (sqlstore), the policy (auth),
// the web front doors (web) and the synthetic city (demo) depend on it, never
// the reverse.
//
// Every service method takes a context carrying the Actor on whose behalf it
// runs (see NewContext). Services decide what the actor may do with the
// authorization policy, scope every list to what the actor may see, and report
// a record the actor may not see as ENOTFOUND.
package linkwork
