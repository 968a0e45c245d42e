package io.tessera.listener;

/** Receives an instance's data set fragments as they are read from the association, before the last has arrived. */
interface InstanceStream {
    /** One data PDV value, in order; the array is not changed afterwards. */
    void fragment(byte[] value);
}
