package sqlstore

import linkwork "github.com/linkwork/linkwork"

// notifyReferral writes a notification about a referral to the outbox in
// this transaction. It does nothing until the outbox is built.
func (tx *Tx) notifyReferral(r *linkwork.Referral, kind linkwork.NotificationKind) error { return nil }
