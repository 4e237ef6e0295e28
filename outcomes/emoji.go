package outcomes

import linkwork "github.com/linkwork/linkwork"

// EmojiFaces is the number of faces on the emoji scale.
const EmojiFaces = 5

// emojiRatings maps each face, from the saddest (0) to the happiest (4), onto
// the GBO 0-10 scale.
var emojiRatings = [EmojiFaces]int{0, 3, 5, 8, 10}

// EmojiToRating maps a face on the five-face emoji scale, numbered 0 (the
// saddest) to 4 (the happiest), onto the GBO 0-10 progress scale as 0, 3, 5,
// 8 and 10. The emoji scale is a display convenience for young people: the
// rating recorded and scored is always the 0-10 one, so emoji and numeric
// ratings compare directly. An out-of-range face is an EINVALID
// *linkwork.Error naming the field "emoji".
func EmojiToRating(face int) (int, error) {
	if face < 0 || face >= EmojiFaces {
		var p linkwork.Problems
		p.Add("emoji", "Choose one of the five faces")
		return 0, p.Err()
	}
	return emojiRatings[face], nil
}
