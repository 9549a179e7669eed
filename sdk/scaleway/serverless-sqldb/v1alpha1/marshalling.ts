// Serverless SQL wire format: the same snake_case conventions as RDB, so the RDB conversion is reused as is.
export {
  marshalRdbBody as marshalServerlessBody,
  marshalRdbQuery as marshalServerlessQuery,
} from "../../rdb/v1/marshalling";
