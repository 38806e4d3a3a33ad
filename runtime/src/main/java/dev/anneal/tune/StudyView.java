package dev.anneal.tune;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** What a sampler or pruner may see of a study when it decides for one trial. */
public interface StudyView {
    String name();

    Direction direction();

    /** The trials visible to this decision, ordered by number, never including the deciding trial itself. */
    List<FrozenTrial> trials();

    /** Stores pruner bookkeeping on a trial (the deciding one); it is kept in the study file. */
    void setSystemAttr(int trialNumber, String key, Object value);

    /** The visible trials in one of the given states. */
    default List<FrozenTrial> trials(TrialState... states) {
        List<TrialState> s = Arrays.asList(states);
        List<FrozenTrial> out = new ArrayList<>();
        for (FrozenTrial t : trials()) if (s.contains(t.state())) out.add(t);
        return out;
    }
}
