package dev.anneal.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anneal.data.DataLoader;
import dev.anneal.data.MnistFormat;
import dev.anneal.data.Subset;
import dev.anneal.data.TensorDataset;
import dev.anneal.nn.Dropout;
import dev.anneal.nn.Flatten;
import dev.anneal.nn.Linear;
import dev.anneal.nn.ReLU;
import dev.anneal.nn.Sequential;
import dev.anneal.nn.loss.CrossEntropyLoss;
import dev.anneal.optim.SGD;
import dev.anneal.tensor.Generator;
import dev.anneal.train.ProgressBar;
import dev.anneal.train.Trainer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A small real search: learning rate and dropout of an MLP on 1,000 Fashion-MNIST images, TPE with the median pruner. */
class TrainerSearchTest {
    @Test
    void tpeWithMedianPrunerTunesARealTrainer() {
        TensorDataset full = MnistFormat.fashionMnist(false); // the 10,000-image split loads faster; 1,500 of its images are used
        int[] trainIdx = new int[1000], validIdx = new int[500];
        for (int i = 0; i < 1000; i++) trainIdx[i] = i;
        for (int i = 0; i < 500; i++) validIdx[i] = 1000 + i;
        DataLoader train = DataLoader.builder(new Subset(full, trainIdx)).batchSize(50).shuffle(true).seed(1).build();
        DataLoader valid = DataLoader.builder(new Subset(full, validIdx)).batchSize(250).build();

        Study study = Study.builder().name("fashion").direction(Direction.MAXIMIZE)
                .sampler(TPESampler.builder(1).nStartupTrials(3).build())
                .pruner(new MedianPruner(2, 0, 1))
                .build();
        study.optimize(trial -> {
            double lr = trial.suggestFloat("lr", 1e-4, 1.0, true);
            double dropout = trial.suggestFloat("dropout", 0.0, 0.5);
            Generator g = new Generator(trial.number());
            Sequential model = new Sequential(new Flatten(), new Linear(784, 64, g), new ReLU(), new Dropout(dropout, g), new Linear(64, 10, g));
            Trainer t = Trainer.builder(model, new SGD(model.parameters(), Map.of("lr", lr, "momentum", 0.9)), new CrossEntropyLoss()::apply)
                    .epochs(2).progress((ProgressBar) null).callback(new PruningCallback(trial, "val_accuracy")).build();
            return t.fit(train, valid).history().epochs("val_accuracy").get(1);
        }, 6);

        assertEquals(6, study.trials().size());
        for (FrozenTrial t : study.trials()) {
            assertNotEquals(TrialState.FAIL, t.state(), t.error());
            double lr = (Double) t.params().get("lr");
            assertTrue(lr >= 1e-4 && lr <= 1.0);
            assertTrue(t.value() >= 0 && t.value() <= 1, "accuracy " + t.value());
            // a completed trial reported both epochs; a pruned one stopped at its first report
            assertEquals(t.state() == TrialState.COMPLETE ? 2 : 1, t.intermediateValues().size());
            assertEquals(t.value(), t.intermediateValues().get(t.lastStep()));
        }
        FrozenTrial best = study.bestTrial();
        assertTrue(best.value() > 0.5, // chance is 0.1; this run's best is 0.620 (lr 0.040, dropout 0.21)
                 "best validation accuracy " + best.value() + "\n" + study.trialsTable());
        // the best trial learned: its accuracy beats the worst completed or pruned trial's
        double worst = 1;
        for (FrozenTrial t : study.trials()) worst = Math.min(worst, t.value());
        assertTrue(best.value() > worst);
    }
}
