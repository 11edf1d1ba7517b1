package io.gaggle.storage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** What every {@link RaftStorage} does with the term and vote: a subclass per implementation. */
abstract class RaftStorageContract {

    private RaftStorage storage;

    /** A new, empty store. */
    abstract RaftStorage newStorage();

    @BeforeEach
    void createStorage() {
        storage = newStorage();
    }

    @AfterEach
    void closeStorage() {
        storage.close();
    }

    @Test
    void aNewStoreHasTermZeroAndNoVote() {
        assertThat(storage.term()).isZero();
        assertThat(storage.votedFor()).isNull();
        assertThat(storage.log().lastIndex()).isEqualTo(-1);
    }

    @Test
    void savedTermAndVoteReadBackAtOnce() {
        storage.saveTermAndVote(4, "node-c");
        assertThat(storage.term()).isEqualTo(4);
        assertThat(storage.votedFor()).isEqualTo("node-c");
    }

    @Test
    void aLaterSaveReplacesTheVote() {
        storage.saveTermAndVote(4, "node-c");
        storage.sync();
        storage.saveTermAndVote(5, null);
        storage.sync();
        assertThat(storage.term()).isEqualTo(5);
        assertThat(storage.votedFor()).isNull();
    }

    @Test
    void syncingTwiceKeepsWhatWasSaved() {
        storage.saveTermAndVote(2, "ünïcødé-✓");
        storage.sync();
        storage.sync();
        assertThat(storage.term()).isEqualTo(2);
        assertThat(storage.votedFor()).isEqualTo("ünïcødé-✓");
    }

    @Test
    void closingTwiceIsHarmless() {
        storage.close();
        assertThatCode(storage::close).doesNotThrowAnyException();
    }
}
