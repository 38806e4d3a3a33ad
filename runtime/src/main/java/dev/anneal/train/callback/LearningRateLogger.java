package dev.anneal.train.callback;

import dev.anneal.optim.ParamGroup;
import dev.anneal.train.Callback;
import dev.anneal.train.TrainingContext;
import dev.anneal.train.Tracker;
import java.util.List;
import java.util.Map;

/** Records every group's lr after each batch in the history ("lr/0", "lr/1", ...) and, if given, the tracker. */
public final class LearningRateLogger implements Callback {
    private final Tracker tracker;

    public LearningRateLogger(Tracker tracker) {
        this.tracker = tracker;
    }

    @Override
    public void onBatchEnd(TrainingContext ctx, int batch, Map<String, Double> logs) {
        List<ParamGroup> groups = ctx.optimizer().paramGroups();
        for (int i = 0; i < groups.size(); i++) {
            double lr = groups.get(i).lr();
            ctx.history().recordStep("lr/" + i, lr);
            if (tracker != null) tracker.scalar("lr/" + i, lr, ctx.globalStep());
        }
    }
}
