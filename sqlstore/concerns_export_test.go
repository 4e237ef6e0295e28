package sqlstore

import linkwork "github.com/linkwork/linkwork"

// ConcernQueries are the statements that count and page the concerns an
// actor may see, taking a limit and an offset after args for the page.
func ConcernQueries(a linkwork.Actor, f linkwork.ConcernFilter) (count, list string, args []any) {
	w := concernsWhere(a, f)
	count, list = pageQueries(concernTable, concernJoins, w, concernOrder, concernColumns)
	return count, list, w.args
}
