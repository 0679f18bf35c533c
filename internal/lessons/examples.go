package lessons

import "github.com/basin-dev/basin/internal/optim"

// examples builds the list afresh on every call, so no caller can change
// another's maps. The settings were tuned so that each story holds with
// margin: lessons_test.go reruns every example with its learning rate
// scaled by 0.8 and 1.25 (and the noise example over 30 seeds) and expects
// the same story; docs/LESSONS.md records the figures.
func examples() []Example {
	return []Example{
		{
			ID: "lr-too-small",
			Title: map[string]string{
				"en": "Learning rate too small: slow",
				"ja": "学習率が小さすぎる：学習が遅い",
			},
			Text: map[string]string{
				"en": "With a learning rate of 0.001, gradient descent takes tiny steps down the bowl. " +
					"After 500 steps it has covered only about 40% of the way to the minimum and has not converged. " +
					"A small learning rate is safe, but it wastes steps.",
				"ja": "学習率を0.001にすると、勾配降下法はお椀の斜面をごく小さな歩幅でしか下りません。" +
					"500ステップ後でも最小値までの道のりの4割ほどしか進んでおらず、まだ収束していません。" +
					"学習率が小さいと安全ではありますが、そのぶん多くのステップが無駄になります。",
			},
			Query: "v=1&f=quadratic&start=-4,3.5&lr=0.001&steps=500&opt=sgd",
			Story: Story{Runs: []Expect{
				{Status: optim.NotConverged, LossAbove: 1}, // starts at 14.1, ends near 5.2
			}},
		},
		{
			ID: "lr-just-right",
			Title: map[string]string{
				"en": "Learning rate just right",
				"ja": "ちょうどよい学習率",
			},
			Text: map[string]string{
				"en": "With a learning rate of 0.3, every step removes 30% of the remaining distance to the minimum, " +
					"and the run converges in about 45 steps. " +
					"A learning rate matched to the curvature of the valley is both fast and stable.",
				"ja": "学習率を0.3にすると、1ステップごとに最小値までの残りの距離が3割ずつ縮まり、" +
					"45ステップほどで収束します。" +
					"谷の曲率に見合った学習率を選べば、速くしかも安定して収束します。",
			},
			Query: "v=1&f=quadratic&start=-4,3.5&lr=0.3&steps=500&opt=sgd",
			Story: Story{Runs: []Expect{
				{Status: optim.Converged, Reach: Global, Within: 50},
			}},
		},
		{
			ID: "lr-too-large",
			Title: map[string]string{
				"en": "Learning rate too large: divergence",
				"ja": "学習率が大きすぎる：発散",
			},
			Text: map[string]string{
				"en": "With a learning rate of 3, each step overshoots the minimum and lands higher up the opposite wall than it started. " +
					"The distance to the minimum doubles at every step, and the run diverges in under 20 steps. " +
					"On this bowl any learning rate above 2 diverges.",
				"ja": "学習率を3にすると、各ステップが最小値を跳び越え、出発点よりも高い反対側の斜面に着地します。" +
					"最小値からの距離は1ステップごとに2倍に広がり、20ステップもしないうちに発散します。" +
					"このお椀では、学習率が2を超えると必ず発散します。",
			},
			Query: "v=1&f=quadratic&start=-4,3.5&lr=3&steps=500&opt=sgd",
			Story: Story{Runs: []Expect{
				{Status: optim.Diverged, Within: 20},
			}},
		},
		{
			ID: "start-decides",
			Title: map[string]string{
				"en": "Where you start decides where you end",
				"ja": "どこから始めるかで行き着く先が決まる",
			},
			Text: map[string]string{
				"en": "The double well has a shallow valley on the right (a local minimum at (1, 0)) and a deep one on the left " +
					"(the global minimum at (−1.25, 0)), separated by a ridge through the saddle point at x = 0.25. " +
					"Started at (0.5, 1.5), just right of the ridge, gradient descent rolls into the shallow valley and stays there: " +
					"the gradient only describes the slope nearby, so nothing tells it that a deeper valley exists.",
				"ja": "二重井戸関数には、右側に浅い谷（(1, 0) の局所最適解）、左側に深い谷（(−1.25, 0) の大域最適解）があり、" +
					"両者の間を x = 0.25 の鞍点を通る尾根が隔てています。" +
					"尾根のすぐ右の (0.5, 1.5) から始めると、勾配降下法は浅い谷に下りてそこにとどまります。" +
					"勾配が教えてくれるのはその場の傾きだけなので、より深い谷があることを知る手がかりがないのです。",
			},
			Query: "v=1&f=double-well&start=0.5,1.5&lr=0.05&steps=500&opt=sgd",
			Story: Story{
				Runs: []Expect{{Status: optim.Converged, Reach: Local}},
				Contrast: &Contrast{
					Query:   "v=1&f=double-well&start=0,1.5&lr=0.05&steps=500&opt=sgd",
					Changed: []string{"start"},
					Text: map[string]string{
						"en": "Move the start half a unit to the left, to (0, 1.5), across the ridge, and the same settings reach the global minimum: " +
							"each minimum has its own basin of attraction, and the start point decides which one you are in.",
						"ja": "開始点を半単位だけ左の (0, 1.5) に移して尾根を越えさせると、同じ設定のまま大域最適解に到達します。" +
							"最小値にはそれぞれ吸引域があり、開始点がどの吸引域にあるかで行き着く先が決まるのです。",
					},
					Runs: []Expect{{Status: optim.Converged, Reach: Global}},
				},
			},
		},
		{
			ID: "momentum-over-ridge",
			Title: map[string]string{
				"en": "Momentum carries a run over the ridge",
				"ja": "モーメンタムで尾根を越える",
			},
			Text: map[string]string{
				"en": "Both runs start at (1.8, 1.5) with a learning rate of 0.05. " +
					"Plain SGD stops in the shallow valley on the right, the local minimum at (1, 0). " +
					"With momentum 0.8 each step keeps part of the previous step's velocity: " +
					"the speed gained coming down the slope carries the run through the shallow valley and over the ridge, " +
					"and it settles in the global minimum at (−1.25, 0).",
				"ja": "どちらも (1.8, 1.5) から学習率0.05で始めます。" +
					"通常の確率的勾配降下法（SGD）は右側の浅い谷、つまり (1, 0) の局所最適解で止まります。" +
					"モーメンタムを0.8にすると、各ステップに前のステップの速度の一部が引き継がれます。" +
					"斜面を下る間についた勢いで浅い谷を通り過ぎて尾根を越え、(−1.25, 0) の大域最適解に落ち着きます。",
			},
			Query: "v=1&f=double-well&start=1.8,1.5&lr=0.05&steps=500&opt=sgd&opt=sgd(momentum=0.8)",
			Story: Story{Runs: []Expect{
				{Status: optim.Converged, Reach: Local},
				{Status: optim.Converged, Reach: Global},
			}},
		},
		{
			ID: "adaptive-elliptic",
			Title: map[string]string{
				"en": "Adaptive methods on an ill-conditioned bowl",
				"ja": "悪条件のお椀と適応的手法",
			},
			Text: map[string]string{
				"en": "This bowl is ten times steeper across (y) than along (x). " +
					"SGD's learning rate must stay below 0.2 or every step overshoots in the steep direction: " +
					"at 0.5 it zig-zags outward and diverges within a dozen steps. " +
					"Adagrad, RMSprop and Adam divide each coordinate's step by the size of its recent gradients, " +
					"so one learning rate suits both directions: at the same 0.5, Adagrad and Adam converge to the minimum. " +
					"RMSprop also stays stable, but its average of squared gradients forgets within about a hundred steps (alpha = 0.99), " +
					"so its steps do not shrink as the gradient does, and it ends hovering close to the minimum without settling.",
				"ja": "このお椀は、横方向（x）に比べて縦方向（y）の傾きが10倍急です。" +
					"SGDでは学習率を0.2未満に抑えないと、急な方向で毎回行き過ぎてしまいます。" +
					"学習率0.5ではジグザグに振れ幅を広げながら、十数ステップで発散します。" +
					"Adagrad、RMSprop、Adamは、各座標の更新量をその座標の最近の勾配の大きさで割るため、" +
					"一つの学習率で両方向に対応できます。同じ0.5でも、AdagradとAdamは最小値に収束します。" +
					"RMSpropも発散はしませんが、勾配の二乗の平均がおよそ100ステップで忘れられる（alpha = 0.99）ため、" +
					"勾配が小さくなっても更新量が縮まらず、最小値のすぐ近くを漂ったまま収束しません。",
			},
			Query: "v=1&f=elliptic&start=-4.5,2&lr=0.5&steps=1000&opt=sgd&opt=adagrad&opt=rmsprop&opt=adam",
			Story: Story{Runs: []Expect{
				{Status: optim.Diverged, Within: 12},
				{Status: optim.Converged, Reach: Global},
				{Status: optim.NotConverged, LossBelow: 1}, // starts at 30.1
				{Status: optim.Converged, Reach: Global},
			}},
		},
		{
			ID: "noise-escapes",
			Title: map[string]string{
				"en": "Noise helps escape a local minimum",
				"ja": "ノイズが局所最適解からの脱出を助ける",
			},
			Text: map[string]string{
				"en": "Stochastic gradient descent sees a noisy gradient, because each minibatch estimates it from a few examples. " +
					"Here Gaussian noise of standard deviation 4 is added to every gradient (seed 1). " +
					"The random kicks lift the run out of the shallow valley onto the ridge at x = 0.25, " +
					"where it teeters, crossing the ridge nine times between steps 22 and 81, until it falls into the deep valley. " +
					"It never climbs back out: the wall on the deep side is over six times higher (3.4 against 0.53), " +
					"and for the remaining 419 steps the kicks only make it hover around the global minimum. " +
					"Other seeds take other paths, but most settle in the global minimum too.",
				"ja": "確率的勾配降下法では、ミニバッチごとに少数のデータから勾配を推定するため、勾配にノイズが乗ります。" +
					"ここでは各ステップの勾配に標準偏差4のガウスノイズを加えています（シード1）。" +
					"ランダムな揺さぶりで浅い谷から x = 0.25 の尾根の上まで押し上げられた点は、" +
					"ステップ22から81までの間に尾根を9回越えたり戻ったりしたあと、深い谷に落ち込みます。" +
					"深い谷の側の壁ははるかに高い（0.53に対して3.4）ので、そこからはもう抜け出せず、" +
					"残りの419ステップは大域最適解のまわりを揺れ動くだけです。" +
					"シードを変えると経路は変わりますが、ほとんどの場合やはり大域最適解に落ち着きます。",
			},
			Query: "v=1&f=double-well&start=1.8,1.5&lr=0.05&steps=500&seed=1&noise=4&opt=sgd",
			Story: Story{
				// Within backs "until [step 81]"; noise_test.go checks the crossings.
				Runs: []Expect{{Status: optim.Converged, Reach: Global, Within: 81}},
				Contrast: &Contrast{
					Query:   "v=1&f=double-well&start=1.8,1.5&lr=0.05&steps=500&seed=1&noise=0&opt=sgd",
					Changed: []string{"noise"},
					Text: map[string]string{
						"en": "Set the noise to 0 and the same run, now plain gradient descent, settles in the local minimum at (1, 0).",
						"ja": "ノイズを0にするとただの勾配降下法になり、同じ開始点から (1, 0) の局所最適解で止まってしまいます。",
					},
					Runs: []Expect{{Status: optim.Converged, Reach: Local}},
				},
			},
		},
	}
}
