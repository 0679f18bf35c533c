package train

import "math/rand/v2"

// shuffleStream is the PCG stream word of the epochs' permutations.
const shuffleStream = 0x62617369_6e736866 // "basinshf"

// batcher hands out each step's row indices: the explicit batches in
// order, or, epoch after epoch, a seeded permutation of the training rows
// cut into consecutive batches of size rows, the last one smaller when the
// size does not divide the rows (as PyTorch's DataLoader(shuffle=True,
// drop_last=False) cuts them). Every run of a request gets a batcher of its
// own with the same seed, so every optimizer sees the same batches.
type batcher struct {
	explicit [][]int
	step     int
	size     int
	perm     []int
	pos      int
	rng      *rand.Rand
}

func newBatcher(explicit [][]int, rows, size int, seed uint64) *batcher {
	if explicit != nil {
		return &batcher{explicit: explicit}
	}
	b := &batcher{size: size, perm: make([]int, rows), pos: rows, rng: rand.New(rand.NewPCG(seed, shuffleStream))}
	return b
}

// next returns the indices of the next step's batch; the slice is valid
// until the following call.
func (b *batcher) next() []int {
	if b.explicit != nil {
		i := b.step
		b.step++
		return b.explicit[i]
	}
	if b.pos >= len(b.perm) {
		for i := range b.perm {
			b.perm[i] = i
		}
		b.rng.Shuffle(len(b.perm), func(i, j int) { b.perm[i], b.perm[j] = b.perm[j], b.perm[i] })
		b.pos = 0
	}
	end := min(b.pos+b.size, len(b.perm))
	batch := b.perm[b.pos:end]
	b.pos = end
	return batch
}
