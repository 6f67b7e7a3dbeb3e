package io.vigil.storage;

/**
 * The storage failed an operation as a whole: I/O errors, a full disk, a closed or corrupt store.
 * Unlike {@link SampleRejectedException} this is not about one sample; retrying later may succeed.
 */
public class StorageException extends RuntimeException {
  public StorageException(String message) {
    super(message);
  }

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
