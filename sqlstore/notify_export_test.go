package sqlstore

import (
	"context"

	linkwork "github.com/linkwork/linkwork"
)

// NotifyReferral runs notifyReferral in a transaction of its own, as the
// actor in ctx, for tests of what each change tells whom.
func (db *DB) NotifyReferral(ctx context.Context, r *linkwork.Referral, kind linkwork.NotificationKind) error {
	return db.update(ctx, func(tx *Tx) error { return tx.notifyReferral(r, kind) })
}

// InsertPublicReferral stores a referral and its new person as the public
// form does, with no referrer user, for tests of the acknowledgement.
func (db *DB) InsertPublicReferral(ctx context.Context, r *linkwork.Referral, p *linkwork.Person) error {
	return db.update(ctx, func(tx *Tx) error {
		p.ServiceOrgID = r.ServiceOrgID
		if err := tx.insertPerson(p); err != nil {
			return err
		}
		r.PersonID = p.ID
		return tx.insertReferral(r, p, "public:"+string(r.Pathway))
	})
}

// Reopen opens a second handle on the same database, as a second server
// would.
func (db *DB) Reopen(ctx context.Context) (*DB, error) {
	return Open(ctx, db.dsn, Options{Now: db.now})
}

// NotificationsAbout returns every notification about a referral, in the
// app and by email, oldest first.
func (db *DB) NotificationsAbout(referralID string) ([]*linkwork.Notification, error) {
	var out []*linkwork.Notification
	err := db.viewAs(context.Background(), linkwork.SystemActor("test"), func(tx *Tx) error {
		rows, err := tx.query("SELECT "+notificationColumns+" FROM notifications n WHERE n.referral_id = ? ORDER BY n.created_at, n.email, n.user_id, n.id", referralID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			n, err := scanNotification(rows)
			if err != nil {
				return err
			}
			out = append(out, n)
		}
		return rows.Err()
	})
	return out, err
}
