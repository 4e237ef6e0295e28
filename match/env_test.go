package match_test

import "os"

func envSet(k string) bool { return os.Getenv(k) != "" }
