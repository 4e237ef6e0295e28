// Package web is linkwork's HTTP front door: the HTML pages (server-rendered
// templates with GOV.UK Frontend styles), the JSON API under
// /api/v1, health and metrics endpoints, and the middleware around them
// (sessions and bearer tokens, CSRF protection, security headers, rate
// limits, logging).
//
// Handlers are thin: they parse input, call the services of package
// linkwork, and render the result. Every rule (validation, authorization,
// audit) lives in the services, so no page or endpoint can skip one. Each
// route also declares who may reach it at all (its access rule): public,
// any signed-in user, or a capability of auth's, whose roles the policy
// gives. The authorization matrix test enumerates every route against
// every role, and fails on any answer in the 5xx range.
package web
