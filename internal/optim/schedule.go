package optim

// Schedule gives the learning rate for each step from the base learning
// rate, as a PyTorch LR scheduler does. Step counts from 0 for the first
// optimizer step (PyTorch's last_epoch after construction). LR must not
// allocate: Run calls it before every step.
type Schedule interface {
	LR(base float64, step int) float64
}

// constantSchedule keeps the base learning rate: the schedule "constant".
type constantSchedule struct{}

func (constantSchedule) LR(base float64, _ int) float64 { return base }
