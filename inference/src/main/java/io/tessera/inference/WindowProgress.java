package io.tessera.inference;

/**
 * Told after each batch of sliding windows how many of the job's windows the model has run, so an operator can watch
 * a long job move (the console's studies list). Called on the job's thread; must return at once.
 */
@FunctionalInterface
public interface WindowProgress {
    WindowProgress NONE = (done, total) -> { };

    void windows(int done, int total);
}
