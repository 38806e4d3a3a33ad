package dev.anneal.data;

import dev.anneal.autograd.Functions;
import dev.anneal.autograd.Tensor;
import dev.anneal.tensor.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * MNIST and Fashion-MNIST: 28×28 grey images with labels 0..9, in IDX files named
 * {@code train-images-idx3-ubyte[.gz]} and so on. Images come as [N, 1, 28, 28] scaled to [0, 1].
 */
public final class MnistFormat {
    /** Where Debian's dataset-fashion-mnist package puts the files. */
    public static final Path FASHION_MNIST_DEBIAN = Paths.get("/usr/share/datasets/fashion-mnist");
    /** Fashion-MNIST's class names, by label. */
    public static final String[] FASHION_CLASSES = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
            "Sneaker", "Bag", "Ankle boot"};

    private MnistFormat() {}

    /** Fashion-MNIST from $ANNEAL_FASHION_MNIST if set, else Debian's location. */
    public static TensorDataset fashionMnist(boolean train) {
        String env = System.getenv("ANNEAL_FASHION_MNIST");
        return load(env != null && !env.isBlank() ? Paths.get(env) : FASHION_MNIST_DEBIAN, train);
    }

    /** The training (60,000) or test (10,000) split from a folder of MNIST-format files. */
    public static TensorDataset load(Path dir, boolean train) {
        String prefix = train ? "train" : "t10k";
        Path images = find(dir, prefix + "-images-idx3-ubyte"), labels = find(dir, prefix + "-labels-idx1-ubyte");
        Tensor x = IdxReader.read(images), y = IdxReader.read(labels);
        if (x.rank() != 3) throw new IllegalArgumentException("MnistFormat: " + images + " holds shape " + Shape.str(x.shape())
                + ", expected [N, rows, cols]");
        if (y.rank() != 1 || y.size(0) != x.size(0))
            throw new IllegalArgumentException("MnistFormat: " + labels + " holds shape " + Shape.str(y.shape()) + ", expected ["
                    + x.size(0) + "] to match " + images);
        float[] v = x.storageData(); // the reader's fresh contiguous array: scaled in place, not copied
        for (int i = 0; i < v.length; i++) v[i] /= 255f;
        float[] lab = y.toArray();
        for (int i = 0; i < lab.length; i++)
            if (lab[i] < 0 || lab[i] > 9)
                throw new IllegalArgumentException("MnistFormat: " + labels + ": label " + lab[i] + " at position " + i + " is not in 0..9");
        return new TensorDataset(Functions.wrap(v, x.size(0), 1, x.size(1), x.size(2)), y);
    }

    private static Path find(Path dir, String stem) {
        for (String name : new String[] {stem + ".gz", stem}) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) return p;
        }
        throw new IllegalArgumentException("MnistFormat: neither " + stem + ".gz nor " + stem + " in " + dir
                + (dir.equals(FASHION_MNIST_DEBIAN) ? " (install Debian's dataset-fashion-mnist package, or set ANNEAL_FASHION_MNIST)" : ""));
    }
}
