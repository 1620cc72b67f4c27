import{I as t,D as o}from"./flowDiagram-MIYXRJYK-Bn-GAo3S.js";import"./chunk-A3LLD7C6-Dz20yuES.js";import"./chunk-CG7VIXT6-OsM5dw6Y.js";import"./chunk-AEP47HME-BsFQxKmu.js";import{m as e}from"./mermaid.esm.min-BGuHAcxY.js";import"./chunk-C7QCCU7L-D1AFP0am.js";import"../index-D-p2-EEe.js";var a=e(r=>`${o(r)}
  .swimlane.cluster:not([data-color-id]) rect {
    stroke: ${r.clusterBorder} !important;
  }
  [data-look="neo"].cluster rect {
    filter: none;
  }
`,"getStyles"),m=a,f=t({styles:m});export{f as diagram};
