/**
 * Reading PyTorch checkpoints ({@code torch.save} files, e.g. torchvision weights) in pure Java, without
 * executing the pickle inside them. Entry point: {@link org.peopleseg.models.torch.TorchCheckpoint}.
 *
 * <p>Pickle is a program, not a data format: Python's unpickler imports and calls whatever the file
 * names, which is why {@code torch.load} on an untrusted file is remote code execution. This package
 * interprets the pickle with an allow-list of the handful of globals a state_dict needs
 * ({@code collections.OrderedDict}, the {@code torch._utils} tensor rebuild functions, the
 * {@code torch.*Storage} dtype markers), each implemented in Java, and refuses everything else with an
 * {@link org.peopleseg.models.torch.UnsafeCheckpointException}.
 */
package org.peopleseg.models.torch;
