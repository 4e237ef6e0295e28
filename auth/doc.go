// Package auth holds what decides who someone is and what they may do:
// argon2id password hashing, random session and API tokens (stored only as
// hashes), and the authorization policy.
//
// The policy is one place. Scope says which records of a kind an actor may
// see at all; the store turns a Scope into the WHERE clause of every query,
// for single records and lists alike, so a record outside it is simply not
// found. Can says whether an actor may do an action to a record they can
// see. Both are pure functions of the actor and the record's ownership.
package auth
