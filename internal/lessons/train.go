package lessons

// TrainExample is a guided example of the "Model on data" mode: a training
// permalink (train=1, docs/API.md) with what it shows, and a contrast that
// changes one setting. What its runs do is not data here but code: the
// tests in train_test.go train the queries with the server's engine, at the
// example's learning rate and at nearby ones, and check each story.
type TrainExample struct {
	ID    string
	Title map[string]string
	Text  map[string]string
	// Query is the training permalink, without the leading "?", in the
	// order the page writes it.
	Query string
	// Contrast is the same training with Changed altered; Then says what
	// to change and what happens then.
	Contrast string
	Changed  string
	Then     map[string]string
}

// FaithfulCondition is the condition number of the mean-squared-error
// Hessian of y = w·x + b on the Old Faithful data unscaled (the ratio of
// its largest to its smallest curvature), rounded as the lesson says it;
// standardized data have condition number 1. train_test.go computes it.
const FaithfulCondition = 150000

// TrainExamples returns the mode's guided examples, afresh on every call.
func TrainExamples() []TrainExample {
	return []TrainExample{
		{
			ID:    "batch-size",
			Title: map[string]string{"en": "Batch size: one example at a time wanders", "ja": "バッチサイズ：1 件ずつだとさまよう"},
			Text: map[string]string{
				"en": "A straight line fitted by SGD with a batch size of 1: every step follows the gradient of a single example, " +
					"so the path zigzags around the valley and the full-data loss rises on about half of the steps. " +
					"The path is over 40 times longer than the straight line from start to end.",
				"ja": "バッチサイズ 1 の SGD で直線を当てはめます。各ステップは 1 件のデータの勾配だけに従うので、" +
					"経路は谷の中をジグザグに進み、全データの損失はおよそ半分のステップで増えます。" +
					"経路の長さは始点から終点までの直線の 40 倍を超えます。",
			},
			Query:    "train=1&data=line&model=linear&init=0&epochs=20&bs=1&lr=0.1&opt=sgd&grid=48",
			Contrast: "train=1&data=line&model=linear&init=0&epochs=20&lr=0.1&opt=sgd&grid=48",
			Changed:  "bs",
			Then: map[string]string{
				"en": "Move the batch size to the full batch: the path goes straight down the valley and the loss falls at every step. In between, the wandering shrinks as batches grow.",
				"ja": "バッチサイズをフルバッチにすると、経路は谷をまっすぐ下り、損失は毎ステップ減ります。その間では、バッチが大きいほどさまよいは小さくなります。",
			},
		},
		{
			ID:    "feature-scaling",
			Title: map[string]string{"en": "Feature scaling: a narrow valley or a round bowl", "ja": "特徴量のスケーリング：細長い谷か丸いお椀か"},
			Text: map[string]string{
				"en": "Eruption length against waiting time, unscaled: waiting times are around 70 minutes, so the loss curves about 150,000 times more " +
					"steeply in one direction than in the other (its condition number). Any learning rate that is stable across the valley " +
					"crawls along it: after 100 full-batch steps the line is still not fitted.",
				"ja": "待ち時間に対する噴出時間を、スケーリングせずに当てはめます。待ち時間は 70 分前後なので、損失の曲がり方は方向によって約 15 万倍も違います（条件数）。" +
					"谷を横切る方向で安定な学習率では、谷に沿っては這うようにしか進めず、100 ステップのフルバッチ学習でもまだ当てはまりません。",
			},
			Query:    "train=1&data=faithful&model=linear&init=0&epochs=100&lr=0.0001&opt=sgd&grid=48",
			Contrast: "train=1&data=faithful&std=true&model=linear&init=0&epochs=100&lr=0.5&opt=sgd&grid=48",
			Changed:  "std",
			Then: map[string]string{
				"en": "Tick Standardize features (and use a learning rate of 0.5): the loss becomes a round bowl, condition number 1, and gradient descent reaches the least-squares line within 15 steps.",
				"ja": "「特徴量を標準化」をオンにし（学習率は 0.5）、損失は条件数 1 の丸いお椀になり、勾配降下法は 15 ステップ以内に最小二乗の直線に着きます。",
			},
		},
		{
			ID:    "separable",
			Title: map[string]string{"en": "Separable data: no minimum to find", "ja": "分離可能なデータ：最小点がない"},
			Text: map[string]string{
				"en": "Eight points that a line through the origin separates perfectly. Logistic regression can always make its predictions " +
					"more confident by making its weights longer, so the loss keeps falling towards 0 without reaching it: there is no minimum, " +
					"after the first step the weights grow at every step without end, and the run never converges.",
				"ja": "原点を通る直線で完全に分けられる 8 点です。ロジスティック回帰は重みを長くするほど予測の確信度を上げられるので、" +
					"損失は 0 に向かって下がり続けますが届きません。最小点はなく、最初のステップの後、重みは毎ステップ限りなく大きくなり、学習は収束しません。",
			},
			Query:    "train=1&points=1,2,1/2,1,1/1.5,0.5,1/0.5,1.5,1/-1,-2,0/-2,-1,0/-1.5,-0.5,0/-0.5,-1.5,0&model=logistic&init=0&epochs=200&lr=0.5&opt=sgd&grid=48",
			Contrast: "train=1&points=1,2,1/2,1,1/1.5,0.5,1/0.5,1.5,1/-1,-2,0/-2,-1,0/-1.5,-0.5,0/-0.5,-1.5,0/1,1,0&model=logistic&init=0&epochs=200&lr=0.5&opt=sgd&grid=48",
			Changed:  "points",
			Then: map[string]string{
				"en": "Add a ninth point of class 0 at (1, 1), among the class-1 points: no line through the origin separates the classes now, the loss has a minimum (the star), and the weights head straight for it.",
				"ja": "クラス 1 の点の間の (1, 1) にクラス 0 の 9 点目を加えると、原点を通るどの直線でもクラスを分けられなくなり、損失に最小点（星印）ができて、重みはそこへまっすぐ向かいます。",
			},
		},
		{
			ID:    "seeds",
			Title: map[string]string{"en": "Same network, different seeds", "ja": "同じネットワーク、違うシード"},
			Text: map[string]string{
				"en": "A network with 8 tanh units trained on the moons by Adam from the initial seed 0. " +
					"It classifies every point right. Remember its final loss and where its weights end.",
				"ja": "tanh ユニット 8 個のネットワークを、初期値のシード 0 から Adam で moons に学習させます。" +
					"すべての点を正しく分類します。最後の損失と、重みがどこに行き着くかを覚えておいてください。",
			},
			Query:    "train=1&data=moons&model=mlp&hidden=8&act=tanh&init=0&epochs=100&lr=0.2&opt=adam&slice=pca&grid=48",
			Contrast: "train=1&data=moons&model=mlp&hidden=8&act=tanh&init=1&epochs=100&lr=0.2&opt=adam&slice=pca&grid=48",
			Changed:  "init",
			Then: map[string]string{
				"en": "Start from seed 1 instead: the same network on the same data again classifies every point right, but ends with a different loss and with weights far from the first ones: a different minimum.",
				"ja": "シードを 1 にすると、同じデータの同じネットワークがまたすべての点を正しく分類しますが、違う損失で終わり、重みも最初の場合から遠く離れます。別の最小点です。",
			},
		},
		{
			ID:    "network-diverges",
			Title: map[string]string{"en": "Too large a learning rate on a network", "ja": "ネットワークに大きすぎる学習率"},
			Text: map[string]string{
				"en": "A network with 16 tanh units fitted to a sine by SGD with a learning rate of 1: the first steps overshoot, " +
					"the output layer's weights blow up, and the run diverges within 10 steps.",
				"ja": "tanh ユニット 16 個のネットワークを、学習率 1 の SGD で正弦波に当てはめます。最初の数ステップで行き過ぎ、" +
					"出力層の重みが爆発して、10 ステップ以内に発散します。",
			},
			Query:    "train=1&data=sine&model=mlp&hidden=16&act=tanh&init=0&epochs=50&lr=1&opt=sgd&slice=pca&grid=48",
			Contrast: "train=1&data=sine&model=mlp&hidden=16&act=tanh&init=0&epochs=50&lr=0.05&opt=sgd&slice=pca&grid=48",
			Changed:  "lr",
			Then: map[string]string{
				"en": "Lower the learning rate to 0.05: the same network learns, and its loss falls to less than a fifth of where it started.",
				"ja": "学習率を 0.05 に下げると、同じネットワークが学習し、損失は最初の 5 分の 1 未満に下がります。",
			},
		},
	}
}
