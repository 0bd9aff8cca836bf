package org.opendelegate.manager.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.h2.api.ErrorCode;
import org.h2.api.TableEngine;
import org.h2.command.Prepared;
import org.h2.command.ddl.CreateTableData;
import org.h2.engine.SessionLocal;
import org.h2.index.Index;
import org.h2.message.DbException;
import org.h2.mvstore.db.MVTable;
import org.h2.mvstore.db.Store;
import org.h2.result.LocalResult;
import org.h2.result.Row;
import org.h2.table.Column;
import org.h2.value.DataType;

/**
 * The embedded store's tables: H2's own (same file format, same indexes), except that an {@code UPDATE} leaves
 * alone the indexes whose columns it did not change. {@link Database} names this class as H2's default table
 * engine ({@code DEFAULT_TABLE_ENGINE}), so every table of an H2 store is opened with it; a file written with it
 * opens in a plain H2 as well, and the reverse.
 *
 * <p>Why: H2 2.4 carries out every {@code UPDATE} statement as a removal of the old row from each index of the
 * table followed by an addition of the new row to each ({@code Table.updateRows}), whatever columns changed.
 * A task's lease and outcome change its state, delegate and lease columns, yet re-added the row to all six
 * indexes of {@code task}, with two undo-log entries and a rewritten leaf page per index at the commit. H2 has
 * the cheaper path too ({@code MVTable.updateRow}: one {@code put} of the row, and an index is touched only when
 * its key changed) but uses it only for its own catalogue; this table sends {@code UPDATE}s there.
 *
 * <p>When that is not safe, the update goes H2's way: when the columns of a unique index (the primary key's
 * too) change in any of the statement's rows. Row by row, a statement that swaps two unique values would meet the
 * other row's old value and fail where H2's remove-all-then-add-all succeeds. Tables with large-object columns
 * are created as plain H2 tables: H2 looks those up by name at a rollback to release their objects, and a table
 * made here is not in that registry (nor would a trigger on it see a rollback; the schema has no triggers).
 */
public final class H2UpdateInPlace implements TableEngine {
    @Override
    public org.h2.table.Table createTable(CreateTableData data) {
        Store store = data.session.getDatabase().getStore();
        for (Column column : data.columns) {
            if (DataType.isLargeObject(column.getType().getValueType())) {
                return store.createTable(data);
            }
        }
        return new UpdateInPlaceTable(data, store);
    }

    /** An H2 table whose {@code UPDATE}s skip the indexes whose key did not change. */
    static final class UpdateInPlaceTable extends MVTable {
        UpdateInPlaceTable(CreateTableData data, Store store) {
            super(data, store);
        }

        /**
         * {@code rows} holds pairs: old row, new row. Row by row through {@link MVTable#updateRow} when no pair
         * changes a unique index's columns; otherwise H2's own way.
         */
        @Override
        public void updateRows(Prepared prepared, SessionLocal session, LocalResult rows) {
            List<Row> pairs = new ArrayList<>();
            boolean inPlace = true;
            while (rows.next()) {
                if ((pairs.size() & 255) == 254) {
                    prepared.checkCanceled();
                }
                Row oldRow = rows.currentRowForTable();
                rows.next();
                Row newRow = rows.currentRowForTable();
                inPlace = inPlace && uniqueKeysUnchanged(oldRow, newRow);
                pairs.add(oldRow);
                pairs.add(newRow);
            }
            rows.reset();
            if (!inPlace) {
                super.updateRows(prepared, session, rows);
                return;
            }
            SessionLocal.Savepoint statementStart = session.setSavepoint();
            for (int i = 0; i < pairs.size(); i += 2) {
                if ((i & 255) == 254) {
                    prepared.checkCanceled();
                }
                try {
                    updateRow(session, pairs.get(i), pairs.get(i + 1));
                } catch (DbException e) {
                    // As in H2's own updateRows: H2 runs the statement again after these two errors, so what it
                    // wrote so far must go first.
                    if (e.getErrorCode() == ErrorCode.CONCURRENT_UPDATE_1
                            || e.getErrorCode() == ErrorCode.ROW_NOT_FOUND_WHEN_DELETING_1) {
                        session.rollbackTo(statementStart);
                    }
                    throw e;
                }
            }
        }

        /**
         * True when the update keeps the columns of every unique index, the primary key's among them (a
         * {@code BIGINT} primary key is also the row's key in H2's map of rows, so it is covered too).
         */
        private boolean uniqueKeysUnchanged(Row oldRow, Row newRow) {
            for (Index index : getIndexes()) {
                if ((index.getIndexType().isUnique() || index.getIndexType().isPrimaryKey())
                        && !sameValues(index, oldRow, newRow)) {
                    return false;
                }
            }
            return true;
        }

        private static boolean sameValues(Index index, Row oldRow, Row newRow) {
            for (Column column : index.getColumns()) {
                int id = column.getColumnId();
                if (!Objects.equals(oldRow.getValue(id), newRow.getValue(id))) {
                    return false;
                }
            }
            return true;
        }
    }
}
