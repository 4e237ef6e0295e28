package sqlstore

import "syscall"

// diskFree returns the bytes free to an unprivileged user on the file
// system holding dir.
func diskFree(dir string) (free uint64, known bool, err error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, false, err
	}
	return st.Bavail * uint64(st.Bsize), true, nil
}
