package dev.anneal.train.callback;

import dev.anneal.train.Callback;
import dev.anneal.train.TrainingContext;
import java.util.Map;

/** Stops training at the first batch whose loss is NaN or infinite. */
public final class TerminateOnNaN implements Callback {
    @Override
    public void onBatchEnd(TrainingContext ctx, int batch, Map<String, Double> logs) {
        Double loss = logs.get("loss");
        if (loss != null && !Double.isFinite(loss))
            ctx.stopTraining("loss became " + loss + " at epoch " + (ctx.epoch() + 1) + ", batch " + (batch + 1));
    }
}
