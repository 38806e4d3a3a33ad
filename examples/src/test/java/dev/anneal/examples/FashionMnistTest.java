package dev.anneal.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anneal.kernels.Parallel;
import dev.anneal.train.checkpoint.Safetensors;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {
    @TempDir
    Path dir;

    @Test
    void defaultsAreTheDocumentedOnes() {
        FashionMnist.Options o = FashionMnist.Options.parse(new String[0]);
        assertEquals("mlp", o.model());
        assertEquals(10, o.epochs());
        assertEquals(128, o.batchSize());
        assertEquals("adamw", o.optimizer());
        assertEquals(1e-3, o.lr());
        assertEquals(0.01, o.weightDecay());
        assertEquals("warmup-cosine", o.schedule());
        assertEquals(Path.of("runs/mlp"), o.out());
        assertNull(o.resume());
        assertEquals(Path.of("runs/cnn"), FashionMnist.Options.parse(new String[] {"--model", "cnn"}).out());
    }

    @Test
    void badValuesNameTheOptionAndWhatWasExpected() {
        assertEquals("--model must be one of mlp, cnn, got 'resnet'", usage("--model", "resnet"));
        assertEquals("--epochs must be a whole number, got 'ten'", usage("--epochs", "ten"));
        assertEquals("--epochs must be at least 1, got 0", usage("--epochs", "0"));
        assertEquals("--lr must be a number, got 'fast'", usage("--lr", "fast"));
        assertEquals("unknown option --momentum", usage("--momentum", "0.9"));
        assertEquals("option --seed needs a value", usage("--seed"));
        assertEquals("unexpected argument 'mlp'", usage("mlp"));
    }

    private static String usage(String... args) {
        return assertThrows(FashionMnist.UsageException.class, () -> FashionMnist.Options.parse(args)).getMessage();
    }

    @Test
    void aShortRunWritesCurvesEventsCheckpointsAndAJsonLine() throws Exception {
        Path out = dir.resolve("run");
        FashionMnist.Options o = FashionMnist.Options.parse(new String[] {"--limit", "1024", "--epochs", "2", "--threads", "2",
                "--out", out.toString()});
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc;
        int threads = Parallel.threads();
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            rc = FashionMnist.run(o);
        } finally {
            System.setOut(saved);
            Parallel.setThreads(threads);
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, text);
        String[] lines = text.strip().split("\n");
        String last = lines[lines.length - 1];
        assertTrue(last.startsWith("{\"model\": \"mlp\", \"epochs\": 2, \"test_accuracy\": 0."), last);
        double acc = Double.parseDouble(last.replaceAll(".*\"test_accuracy\": ([0-9.]+).*", "$1"));
        assertTrue(acc > 0.6, "two epochs on 1024 images should pass 60%: " + acc);
        assertTrue(Files.readString(out.resolve("curves.svg")).contains("</svg>"));
        assertTrue(Files.readString(out.resolve("events/scalars.csv")).contains("epoch/val_accuracy"));
        try (Stream<Path> events = Files.list(out.resolve("events"))) {
            assertTrue(events.anyMatch(p -> p.getFileName().toString().startsWith("events.out.tfevents.")));
        }
        Safetensors.Contents ckpt = Safetensors.read(out.resolve("last.safetensors"));
        assertEquals("2", ckpt.metadata().get("epoch"));
        assertTrue(ckpt.tensors().containsKey("model.1.weight"));
        assertTrue(Files.exists(out.resolve("best.safetensors")));
    }

    @Test
    void resumingTheFinishedRunContinuesFromItsLastEpoch() throws IOException, Exception {
        Path out = dir.resolve("run");
        int threads = Parallel.threads();
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            FashionMnist.run(FashionMnist.Options.parse(new String[] {"--limit", "512", "--epochs", "1", "--out", out.toString()}));
            buf.reset();
            FashionMnist.run(FashionMnist.Options.parse(new String[] {"--limit", "512", "--epochs", "2", "--out", out.toString(),
                    "--resume", out.resolve("last.safetensors").toString()}));
        } finally {
            System.setOut(saved);
            Parallel.setThreads(threads);
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("resumed from " + out.resolve("last.safetensors") + " after epoch 1"), text);
        assertTrue(text.contains("epoch 2/2"), text);
        assertTrue(!text.contains("epoch 1/2"), "the finished epoch is not trained again: " + text);
    }
}
