package oruk

import (
	"strings"

	"github.com/google/uuid"
)

// Namespace is the UUID namespace of the ids linkwork makes for what it
// sends as ORUK but does not store under an id of its own (package orukio
// makes them all with DeriveID). Changing it would change every such id
// a consumer has kept.
var Namespace = uuid.MustParse("5f0c9b7e-6d1a-4c55-9a43-8f2e7d1b0c61")

// DeriveID makes a stable UUID v5 in Namespace from its parts.
func DeriveID(parts ...string) string {
	return uuid.NewSHA1(Namespace, []byte(strings.Join(parts, "\x00"))).String()
}

// ServiceAtLocationID is the id of the service-at-location of a service's
// location: the same on every request, and what the store keeps beside
// each location so that GET /service_at_locations/{id} can find it.
func ServiceAtLocationID(serviceID, locationID string) string {
	return DeriveID("service_at_location", serviceID, locationID)
}
